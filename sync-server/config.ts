import { resolve } from 'node:path';

/** Everything the process reads from its environment, in one place. */
export interface Config {
  /** @default 3000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** Postgres URL; unset means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** @default './data' */
  dataDir: string;
  /** Redis for running several instances side by side; unset means this is the only one. */
  redisUrl: string | undefined;
  /** The public origin (adapter-node's ORIGIN), e.g. https://chat.example.org; unset: the Host header. */
  origin: string | undefined;
  /** Mark cookies Secure (set when served over HTTPS, e.g. ORIGIN starts with https). */
  secureCookies: boolean;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** Folder of the built SvelteKit app. @default './build/app' */
  appDir: string;
  migrationsDir: string;
  /**
   * Accept push subscriptions on plain http and loopback (PUSH_ALLOW_INSECURE=1): for tests
   * and local development only, never in production. @default false
   */
  pushAllowInsecure: boolean;
  /** VAPID contact the push services may write to (PUSH_SUBJECT). @default 'mailto:push@porch.invalid' */
  pushSubject: string;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const level = env.LOG_LEVEL ?? 'info';
  if (!['info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`LOG_LEVEL must be info, warn, error or silent`);
  return {
    port: int('PORT', 3000, env),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || './data'),
    redisUrl: env.REDIS_URL || undefined,
    origin: env.ORIGIN || undefined,
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === '1' : (env.ORIGIN ?? '').startsWith('https:'),
    logLevel: level as Config['logLevel'],
    appDir: resolve(env.APP_DIR || './build/app'),
    migrationsDir: resolve(env.MIGRATIONS_DIR || './migrations'),
    pushAllowInsecure: env.PUSH_ALLOW_INSECURE === '1',
    pushSubject: env.PUSH_SUBJECT || 'mailto:push@porch.invalid'
  };
}
