import type { Redis } from 'ioredis';
import { openDatabase, type Database } from '../src/lib/server/db/database';
import { migrate, readMigrations } from '../src/lib/server/db/migrate';
import type { Config } from './config';
import { RedisFanout } from './fanout/redis-fanout';
import { connectLimitsRedis } from './limits/shared-limits';
import type { Logger } from './log';
import { preparePorchRuntime, startPorchServer, type AppHandler, type PorchRuntimeOptions, type PorchServer } from './porch-server';

/**
 * Where Porch answers: on a server of its own (`npm start`: the built app, /healthz,
 * /metrics and /sync on PORT, the app's CSP from `shellFile` as a header), or beside another server that `attach` hooks the runtime
 * into (`npm run dev`: Vite's).
 */
export type PorchHost = { kind: 'own'; app: AppHandler; shellFile: string } | { kind: 'attach'; attach(runtime: Awaited<ReturnType<typeof preparePorchRuntime>>): void };

/** A started Porch, ready to be stopped. */
export interface StartedPorch {
  /** What the log line at start says: where, on what database, alone or with others. */
  summary: { url?: string; database: Database['kind']; instances: string };
  /** Stops the server or runtime, then Redis and the database. */
  close(): Promise<void>;
}

/** Why Porch could not start: an expected failure of the environment, not a bug. */
export type StartFailure = { reason: 'database' | 'redis' | 'listen'; message: string; error: unknown };

/**
 * Assembles the process, the same for `npm start` and `npm run dev`: opens the database and
 * applies migrations, connects Redis when REDIS_URL is set (fan-out and the shared limits),
 * then builds the runtime with every setting and limit of `config`. What it opened before a
 * failure it closes again.
 */
export async function startPorch(config: Config, log: Logger, host: PorchHost): Promise<{ ok: true; porch: StartedPorch } | { ok: false; failure: StartFailure }> {
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    return { ok: false, failure: { reason: 'database', message: 'database unavailable', error } };
  }
  try {
    const applied = await migrate(db.sql, await readMigrations(config.migrationsDir));
    if (applied.length > 0) log.info('migrations applied', { versions: applied });
  } catch (error) {
    await db.close().catch(() => {});
    return { ok: false, failure: { reason: 'database', message: 'migration failed', error } };
  }

  let fanout: RedisFanout | null = null;
  let limitsRedis: Redis | null = null;
  const closeRedis = async () => {
    await fanout?.close().catch(() => {});
    limitsRedis?.disconnect();
  };
  if (config.redisUrl) {
    try {
      fanout = new RedisFanout(config.redisUrl, log);
      await fanout.connect();
      limitsRedis = await connectLimitsRedis(config.redisUrl, log);
    } catch (error) {
      await closeRedis();
      await db.close().catch(() => {});
      return { ok: false, failure: { reason: 'redis', message: 'Redis unavailable at REDIS_URL', error } };
    }
  }

  const options: PorchRuntimeOptions = {
    sql: db.sql,
    log,
    secureCookies: config.secureCookies,
    origin: config.origin,
    fanout,
    limitsRedis,
    limits: config.limits,
    appendGatherMs: config.appendGatherMs,
    push: { allowInsecure: config.pushAllowInsecure, subject: config.pushSubject }
  };
  const instances = fanout ? `shared through Redis (instance ${fanout.instanceId})` : 'single';

  if (host.kind === 'attach') {
    const runtime = await preparePorchRuntime(options);
    host.attach(runtime);
    return {
      ok: true,
      porch: {
        summary: { database: db.kind, instances },
        async close() {
          await runtime.close();
          await db.close();
        }
      }
    };
  }

  let server: PorchServer;
  try {
    server = await startPorchServer({ ...options, port: config.port, host: config.host, app: host.app, shellFile: host.shellFile });
  } catch (error) {
    await closeRedis();
    await db.close().catch(() => {});
    return { ok: false, failure: { reason: 'listen', message: `cannot listen on ${config.host}:${config.port}`, error } };
  }
  return {
    ok: true,
    porch: {
      summary: { url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${server.port}`, database: db.kind, instances },
      async close() {
        await server.close();
        await db.close();
      }
    }
  };
}
