import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type AppHandler, type PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The built app (build/app) behind Porch's server, in the test's own process, so the test
 * can also reach the database (expire a session, make an admin) and the sync server.
 * Needs `npm run build`, as every e2e test does.
 */
export interface InProcessApp {
  url: string;
  db: TestDatabase;
  server: PorchServer;
  close(): Promise<void>;
}

export async function startInProcessApp(options: { origin?: string } = {}): Promise<InProcessApp> {
  const db = await openTestDatabase();
  const appDir = join(process.cwd(), 'build', 'app');
  const { handler } = (await import(pathToFileURL(join(appDir, 'handler.js')).href)) as { handler: AppHandler };
  const server = await startPorchServer({
    sql: db.sql,
    log: createLogger('silent'),
    port: 0,
    host: '127.0.0.1',
    app: handler,
    origin: options.origin,
    shellFile: join(appDir, 'prerendered', 'shell.html')
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    db,
    server,
    async close() {
      await server.close();
      await db.close();
    }
  };
}
