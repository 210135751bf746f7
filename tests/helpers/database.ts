import postgres, { type Sql } from 'postgres';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../src/lib/server/db/database';
import type { Upstream } from './tcp-proxy';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * A migrated database of its own for one test file: a fresh schema in DATABASE_URL's
 * Postgres when set (as in CI), otherwise an in-memory embedded PGlite.
 */
export interface TestDatabase extends Database {
  /** Where the database listens, for a proxy in front of it. */
  upstream: Upstream;
  /** Another pool on the same database and schema, connecting through `port` on loopback. */
  openVia(port: number): Sql;
}

const quiet = { onnotice: () => {} };

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
    return {
      ...db,
      upstream: { path: db.socketPath! },
      openVia: (port) => postgres({ host: '127.0.0.1', port, max: 1, database: 'postgres', username: 'postgres', ...quiet })
    };
  }
  const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema "${schema}"`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: url, dataDir: '', schema });
  await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
  const parsed = new URL(url);
  return {
    ...db,
    upstream: { host: parsed.hostname, port: Number(parsed.port || 5432) },
    openVia: (port) => {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(port);
      return postgres(via.toString(), { max: 4, connection: { search_path: schema }, ...quiet });
    },
    async close() {
      await db.sql.unsafe(`drop schema "${schema}" cascade`);
      await db.close();
    }
  };
}
