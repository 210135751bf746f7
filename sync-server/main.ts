import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { openDatabase, type Database } from '../src/lib/server/db/database';
import { migrate, readMigrations } from '../src/lib/server/db/migrate';
import { readConfig } from './config';
import { RedisFanout } from './fanout/redis-fanout';
import { createLogger } from './log';
import { startPorchServer, type AppHandler } from './porch-server';

/** The process entry: database, migrations, then the app and /sync on one port. */
async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);

  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const applied = await migrate(db.sql, await readMigrations(config.migrationsDir));
    if (applied.length > 0) log.info('migrations applied', { versions: applied });
  } catch (err) {
    log.error('cannot start: database unavailable or migration failed', { error: err });
    process.exitCode = 1;
    // Exit explicitly: a half-open pool would keep the process alive.
    setTimeout(() => process.exit(1), 100);
    return;
  }

  let fanout: RedisFanout | null = null;
  if (config.redisUrl) {
    fanout = new RedisFanout(config.redisUrl, log);
    try {
      await fanout.connect();
    } catch (err) {
      log.error('cannot start: Redis unavailable at REDIS_URL', { error: err });
      process.exit(1);
    }
  }

  const { handler } = (await import(pathToFileURL(join(config.appDir, 'handler.js')).href)) as { handler: AppHandler };
  const server = await startPorchServer({
    sql: db.sql,
    log,
    port: config.port,
    host: config.host,
    secureCookies: config.secureCookies,
    origin: config.origin,
    app: handler,
    shellFile: join(config.appDir, 'prerendered', 'shell.html'),
    fanout,
    limits: config.limits,
    appendGatherMs: config.appendGatherMs,
    push: { allowInsecure: config.pushAllowInsecure, subject: config.pushSubject }
  });
  log.info('Porch is listening', {
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${server.port}`,
    database: db.kind,
    instances: fanout ? `shared through Redis (instance ${fanout.instanceId})` : 'single'
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    try {
      await server.close();
      await db.close();
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
