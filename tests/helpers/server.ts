import type { Database } from '../../src/lib/server/db/database';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import type { SyncServerOptions } from '../../sync-server/sync-server';

/** The sync server on a free loopback port over `db` (no SvelteKit app). */
export async function startSyncServer(db: Database, sync: Partial<SyncServerOptions> = {}): Promise<PorchServer & { url: string }> {
  const server = await startPorchServer({ sql: db.sql, log: createLogger('silent'), port: 0, host: '127.0.0.1', sync });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}` });
}
