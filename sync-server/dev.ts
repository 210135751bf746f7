import type { Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Connect } from 'vite';
import { openDatabase } from '../src/lib/server/db/database';
import { migrate, readMigrations } from '../src/lib/server/db/migrate';
import { readConfig } from './config';
import { createLogger } from './log';
import { createPorchRuntime } from './porch-server';

/**
 * `npm run dev`: the same database, runtime and /sync as `npm start`, attached to Vite's
 * dev server instead of the production one, so the UI can be worked on with HMR.
 */
export async function attachToViteDevServer(http: Server | Http2SecureServer | null, middlewares: Connect.Server): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db.sql, await readMigrations(config.migrationsDir));
  const { sync, handle, close } = createPorchRuntime({
    sql: db.sql,
    log,
    secureCookies: config.secureCookies,
    origin: config.origin,
    push: { allowInsecure: config.pushAllowInsecure, subject: config.pushSubject }
  });
  middlewares.use((req, res, next) => {
    if (!handle(req, res)) next();
  });
  // Vite's HMR socket shares the server: leave every other upgrade to it.
  (http as Server | null)?.on('upgrade', (req, socket, head) => void sync.handleUpgrade(req, socket, head));
  (http as Server | null)?.once('close', () => void close().then(() => db.close()));
  log.info('dev: Porch runtime attached to Vite', { database: db.kind });
}
