import postgres from 'postgres';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../src/lib/server/db/database';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * A migrated database of its own for one test file: a fresh schema in DATABASE_URL's
 * Postgres when set (as in CI), otherwise an in-memory embedded PGlite.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
    return db;
  }
  const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema "${schema}"`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: url, dataDir: '', schema });
  await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
  return {
    ...db,
    async close() {
      await db.sql.unsafe(`drop schema "${schema}" cascade`);
      await db.close();
    }
  };
}
