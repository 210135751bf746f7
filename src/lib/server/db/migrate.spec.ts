import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openTestDatabase } from '../../../../tests/helpers/database';
import type { Database } from './database';
import { migrate, readMigrations } from './migrate';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('migrations', () => {
  it('records each migration once and applies nothing the second time', async () => {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const rows = await db.sql<{ version: number }[]>`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(db.sql, migrations)).toEqual([]);
  });

  it('stops with the file name when a migration fails, and applies none of the batch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porch-mig-'));
    await writeFile(join(dir, '900_good.sql'), 'create table mig_good (id int);');
    await writeFile(join(dir, '901_bad.sql'), 'create tabel oops;');
    await expect(migrate(db.sql, await readMigrations(dir))).rejects.toThrow(/901_bad\.sql failed/);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations where version >= 900`;
    expect(row!.n).toBe(0);
    await expect(db.sql`select * from mig_good`).rejects.toThrow();
  });

  it('refuses badly named files and duplicate versions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porch-mig-'));
    await writeFile(join(dir, 'init.sql'), 'select 1;');
    await expect(readMigrations(dir)).rejects.toThrow(/001_name\.sql/);
    const dup = await mkdtemp(join(tmpdir(), 'porch-mig-'));
    await writeFile(join(dup, '001_a.sql'), 'select 1;');
    await writeFile(join(dup, '1_b.sql'), 'select 1;');
    await expect(readMigrations(dup)).rejects.toThrow(/share version 1/);
  });
});
