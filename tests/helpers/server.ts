import { afterAll, beforeAll } from 'vitest';
import type * as Y from 'yjs';
import type { Database } from '../../src/lib/server/db/database';
import type { Limits } from '../../sync-server/config';
import { RedisFanout } from '../../sync-server/fanout/redis-fanout';
import { connectLimitsRedis } from '../../sync-server/limits/shared-limits';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import type { UpdateStore } from '../../sync-server/storage/update-store';
import type { SyncServerOptions } from '../../sync-server/sync-server';
import { openTestDatabase, type TestDatabase } from './database';
import { connectClient, type TestClient } from './sync-client';

/** Redis for the tests that run several instances (this kind of machine runs one; CI sets REDIS_URL). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface InstanceOptions {
  sync?: Partial<SyncServerOptions>;
  limits?: Partial<Limits>;
  /** Stores updates here (the Postgres update log on `db` by default). */
  store?: UpdateStore;
  /** One of several instances: rooms and access changes go through Redis (SPEC 17, 18). */
  redis?: boolean;
  /** ... and the sign-in throttle and connection limit are counted there too. */
  sharedLimits?: boolean;
}

/** A Porch instance on a free loopback port over `db` (no SvelteKit app). */
export async function startInstance(db: Database, options: InstanceOptions = {}): Promise<PorchServer & { url: string }> {
  const log = createLogger('silent');
  let fanout: RedisFanout | null = null;
  if (options.redis) {
    fanout = new RedisFanout(REDIS_URL, log);
    await fanout.connect();
  }
  const limitsRedis = options.sharedLimits ? await connectLimitsRedis(REDIS_URL, log) : null;
  const { sync, limits, store } = options;
  const server = await startPorchServer({ sql: db.sql, log, port: 0, host: '127.0.0.1', sync, limits, fanout, limitsRedis, ...(store ? { store } : {}) });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}` });
}

/** The sync server alone on `db` (see startInstance). */
export function startSyncServer(db: Database, sync: Partial<SyncServerOptions> = {}, limits: Partial<Limits> = {}, store?: UpdateStore): Promise<PorchServer & { url: string }> {
  return startInstance(db, { sync, limits, store });
}

/**
 * One test file's database, sync server and clients, set up before its tests and torn down
 * after them (clients first, then the server, then the database).
 */
export function syncSuite(sync: Partial<SyncServerOptions> = {}, limits: Partial<Limits> = {}) {
  let db: TestDatabase | undefined;
  let server: (PorchServer & { url: string }) | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    db = await openTestDatabase();
    server = await startSyncServer(db, sync, limits);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
    await db?.close();
  });
  const must = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('syncSuite used outside its tests');
    return value;
  };
  return {
    get db(): TestDatabase {
      return must(db);
    },
    get server(): PorchServer & { url: string } {
      return must(server);
    },
    /** A y-websocket client that is destroyed after the file's tests. */
    client(roomId: string, token: string | null, doc?: Y.Doc): TestClient {
      const c = connectClient(must(server).url, roomId, token, doc);
      clients.push(c);
      return c;
    },
    /** Stops the server (flushing its log) and starts a new one on the same database. */
    async restart(options: Partial<SyncServerOptions> = sync): Promise<void> {
      await must(server).close();
      server = await startSyncServer(must(db), options, limits);
    }
  };
}
