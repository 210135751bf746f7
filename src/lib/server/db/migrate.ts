import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';

/** A migration file: `NNN_name.sql`, applied in numeric order. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d+)_([\w-]+)\.sql$/;

/** Arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 727_001;

/** Reads `dir` and returns its migrations sorted by version; two files with one version are an error. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`Migration file name must look like 001_name.sql: ${file}`);
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: await readFile(join(dir, file), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`Two migrations share version ${migrations[i]!.version}`);
    }
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, in order, exactly once,
 * all in one transaction: a failing migration leaves the schema as it was and throws with
 * its file name. Several instances may start at once: an advisory lock makes the others wait.
 */
export async function migrate(sql: Sql, migrations: Migration[]): Promise<number[]> {
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      version    integer primary key,
      name       text not null,
      applied_at timestamptz not null default now()
    )`;
    const done = new Set((await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await tx.unsafe(m.sql);
        await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
      } catch (err) {
        throw new Error(`Migration ${String(m.version).padStart(3, '0')}_${m.name}.sql failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
    }
  });
  return applied;
}
