import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { readConfig } from './config';
import { createLogger } from './log';
import type { AppHandler } from './porch-server';
import { startPorch } from './start';
import { MAX_AVATAR_BYTES } from '../src/lib/server/profiles';

/** The process entry (`npm start`): database, migrations, Redis, then the app and /sync on one port. */
async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);

  // adapter-node reads its body limit when the handler loads: room for an avatar upload
  // (5 MB, src/lib/server/profiles.ts); JSON routes stop at 64 KiB on their own.
  process.env.BODY_SIZE_LIMIT ??= String(MAX_AVATAR_BYTES + 64 * 1024);
  let app: AppHandler;
  try {
    ({ handler: app } = (await import(pathToFileURL(join(config.appDir, 'handler.js')).href)) as { handler: AppHandler });
  } catch (err) {
    log.error(`cannot start: no built app in ${config.appDir} (npm run build)`, { error: err });
    process.exit(1);
  }

  const started = await startPorch(config, log, { kind: 'own', app, shellFile: join(config.appDir, 'prerendered', 'shell.html') });
  if (!started.ok) {
    log.error(`cannot start: ${started.failure.message}`, { reason: started.failure.reason, error: started.failure.error });
    process.exitCode = 1;
    // Exit explicitly: a half-open pool would keep the process alive.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  const { porch } = started;
  log.info('Porch is listening', porch.summary);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    try {
      await porch.close();
    } catch (err) {
      log.error('error during shutdown', { error: err });
      process.exitCode = 1;
    }
    process.exit();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
