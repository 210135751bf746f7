import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';

/** An open database: one `sql` for the whole process, and how to close it. */
export interface Database {
  sql: Sql;
  /** 'postgres' when DATABASE_URL is used, 'embedded' for PGlite in DATA_DIR. */
  kind: 'postgres' | 'embedded';
  /** Embedded only: the Unix socket pglite-socket serves on (tests put a proxy in front). */
  socketPath?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; when absent, embedded PGlite in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database, or 'memory://' for a throwaway one. @default './data' */
  dataDir: string;
  /** Pool size for a real Postgres. @default 10 */
  poolSize?: number;
  /** Schema to work in (tests give each suite its own). @default 'public' */
  schema?: string;
}

// postgres.js turns bigint columns into strings unless told otherwise; our ids that are
// bigint (update log ids, Yjs client ids) fit in a double.
const types = {
  bigint: {
    to: 20,
    from: [20],
    serialize: (x: number | bigint) => x.toString(),
    parse: (x: string) => Number(x)
  }
};

/**
 * Opens the database. With a URL, a postgres.js pool. Without, PGlite stored in `dataDir`,
 * served over a private Unix socket by pglite-socket so that the same postgres.js code
 * (one SQL dialect, one data layer) talks to it.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const sql = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      types,
      connect_timeout: 10,
      ...(options.schema ? { connection: { search_path: options.schema } } : {})
    });
    try {
      await sql`select 1`;
    } catch (err) {
      await sql.end({ timeout: 1 });
      throw new Error(`Cannot reach the database at DATABASE_URL: ${(err as Error).message}`, { cause: err });
    }
    return { sql, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  return openEmbedded(options.dataDir);
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(inMemory ? undefined : dataDir);
  // A socket only this user can reach (0700 temp folder), not a TCP port.
  const socketDir = await mkdtemp(join(tmpdir(), 'porch-pg-'));
  const path = join(socketDir, '.s.PGSQL.5432');
  // A few connections (tests add their own); PGlite still runs one query at a time.
  const server = new PGLiteSocketServer({ db: pg, path, maxConnections: 8 });
  await server.start();
  // PGlite runs one query at a time; a single connection keeps its multiplexer simple.
  const sql = postgres({ path, max: 1, onnotice: () => {}, types, database: 'postgres', username: 'postgres' });
  return {
    sql,
    kind: 'embedded',
    socketPath: path,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await pg.close();
      await rm(socketDir, { recursive: true, force: true });
    }
  };
}
