import type { Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Connect } from 'vite';
import { readConfig } from './config';
import { createLogger } from './log';
import { startPorch } from './start';

/**
 * `npm run dev`: the same database, Redis, limits and runtime as `npm start` (startPorch),
 * attached to Vite's dev server instead of the production one, so the UI can be worked on
 * with HMR.
 */
export async function attachToViteDevServer(http: Server | Http2SecureServer | null, middlewares: Connect.Server): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const started = await startPorch(config, log, {
    kind: 'attach',
    attach({ sync, handle }) {
      middlewares.use((req, res, next) => {
        if (!handle(req, res)) next();
      });
      // Vite's HMR socket shares the server: leave every other upgrade to it.
      (http as Server | null)?.on('upgrade', (req, socket, head) => void sync.handleUpgrade(req, socket, head));
    }
  });
  if (!started.ok) {
    const { message, error } = started.failure;
    throw new Error(`Porch cannot start: ${message}`, { cause: error });
  }
  const { porch } = started;
  (http as Server | null)?.once('close', () => void porch.close());
  log.info('dev: Porch runtime attached to Vite', porch.summary);
}
