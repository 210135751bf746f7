import { resolve } from 'node:path';

/**
 * Every limit the process enforces (README, "Limits"), with its default: the one place a
 * limit's default is declared. Each is set by the environment variable named first.
 */
export const defaultLimits = {
  /** MAX_FRAME_BYTES: largest sync WebSocket message; over it closes with 1009. @default 1 MiB */
  maxFrameBytes: 1024 * 1024,
  /** SYNC_RATE_BURST: sync messages a connection may send at once. @default 200 */
  rateBurst: 200,
  /** SYNC_RATE_PER_SECOND: ... and then per second on average; over it closes with 4429. @default 50 */
  ratePerSecond: 50,
  /**
   * MAX_CONNECTIONS_PER_USER: open sync connections per user, all instances together when
   * they share Redis. Each tab keeps up to 31 (the open room and 30 live rooms of the
   * list): 200 is about six tabs or devices. @default 200
   */
  maxConnectionsPerUser: 200,
  /** MAX_ROOMS_PER_USER: group rooms and DMs a user may have created (and not deleted). @default 500 */
  maxRoomsPerUser: 500,
  /** MAX_MEMBERS_PER_ROOM: people in one room. @default 1000 */
  maxMembersPerRoom: 1000,
  /** LOGIN_FREE_ATTEMPTS: failed sign-ins per username before each next one must wait. @default 5 */
  loginFreeAttemptsPerUsername: 5,
  /** LOGIN_FREE_ATTEMPTS_PER_ADDRESS: the same per client address (NAT: more slack). @default 50 */
  loginFreeAttemptsPerAddress: 50,
  /** LOGIN_BACKOFF_MS: the first wait; it doubles with each further failure. @default 1000 */
  loginBackoffMs: 1000,
  /** LOGIN_BACKOFF_MAX_MS: the longest wait. @default 15 min */
  loginBackoffMaxMs: 15 * 60 * 1000
};

/** Every limit the process enforces; see {@link defaultLimits} for each one's variable and default. */
export type Limits = typeof defaultLimits;

/**
 * Each limit's environment variable and least value: a limit of 0 would lock everyone out,
 * so most need 1 (0 free sign-in attempts is allowed: every failure then waits).
 */
const limitVariables: { [K in keyof Limits]: { name: string; min: number } } = {
  maxFrameBytes: { name: 'MAX_FRAME_BYTES', min: 1024 },
  rateBurst: { name: 'SYNC_RATE_BURST', min: 1 },
  ratePerSecond: { name: 'SYNC_RATE_PER_SECOND', min: 1 },
  maxConnectionsPerUser: { name: 'MAX_CONNECTIONS_PER_USER', min: 1 },
  maxRoomsPerUser: { name: 'MAX_ROOMS_PER_USER', min: 1 },
  maxMembersPerRoom: { name: 'MAX_MEMBERS_PER_ROOM', min: 2 },
  loginFreeAttemptsPerUsername: { name: 'LOGIN_FREE_ATTEMPTS', min: 0 },
  loginFreeAttemptsPerAddress: { name: 'LOGIN_FREE_ATTEMPTS_PER_ADDRESS', min: 0 },
  loginBackoffMs: { name: 'LOGIN_BACKOFF_MS', min: 1 },
  loginBackoffMaxMs: { name: 'LOGIN_BACKOFF_MAX_MS', min: 1 }
};

/** The process's settings other than limits, with their defaults: the one place each is declared. */
export const defaultSettings = {
  /** PORT. @default 3000 */
  port: 3000,
  /** HOST. @default '0.0.0.0' */
  host: '0.0.0.0',
  /** DATA_DIR: where embedded PGlite keeps its files when DATABASE_URL is unset. @default './data' */
  dataDir: './data',
  /** LOG_LEVEL. @default 'info' */
  logLevel: 'info' as 'info' | 'warn' | 'error' | 'silent',
  /** APP_DIR: folder of the built SvelteKit app. @default './build/app' */
  appDir: './build/app',
  /** MIGRATIONS_DIR. @default './migrations' */
  migrationsDir: './migrations',
  /** PUSH_SUBJECT: VAPID contact the push services may write to. @default 'mailto:push@porch.invalid' */
  pushSubject: 'mailto:push@porch.invalid',
  /**
   * APPEND_GATHER_MS: how long a busy server lets appends gather into one INSERT
   * (storage/postgres-update-store.ts). @default 10
   */
  appendGatherMs: 10
};

/** Everything the process reads from its environment, in one place (defaults: {@link defaultSettings}). */
export interface Config {
  port: number;
  host: string;
  /** DATABASE_URL: Postgres; unset means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** Absolute. */
  dataDir: string;
  /**
   * REDIS_URL: Redis for running several instances side by side (fan-out, sign-in throttling,
   * connections per user); unset means this is the only one.
   */
  redisUrl: string | undefined;
  /** ORIGIN: the public origin (adapter-node's), e.g. https://chat.example.org; unset: the Host header. */
  origin: string | undefined;
  /** SECURE_COOKIES=1: mark cookies Secure; unset: when ORIGIN starts with https. */
  secureCookies: boolean;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** Absolute. */
  appDir: string;
  /** Absolute. */
  migrationsDir: string;
  /**
   * PUSH_ALLOW_INSECURE=1: accept push subscriptions on plain http and loopback, for tests and
   * local development only, never in production.
   */
  pushAllowInsecure: boolean;
  pushSubject: string;
  /** Abuse limits (README, "Limits"); each is an environment variable. */
  limits: Limits;
  appendGatherMs: number;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

/** Limits from the environment, each its default when unset; a value out of range throws, naming the variable. */
export function readLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const limits = { ...defaultLimits };
  for (const key of Object.keys(limitVariables) as (keyof Limits)[]) {
    const { name, min } = limitVariables[key];
    limits[key] = int(name, defaultLimits[key], env, min);
  }
  return limits;
}

/** The whole configuration from the environment; a bad value throws, naming its variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const d = defaultSettings;
  const level = env.LOG_LEVEL || d.logLevel;
  if (!['info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`LOG_LEVEL must be info, warn, error or silent`);
  return {
    port: int('PORT', d.port, env),
    host: env.HOST || d.host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || d.dataDir),
    redisUrl: env.REDIS_URL || undefined,
    origin: env.ORIGIN || undefined,
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === '1' : (env.ORIGIN ?? '').startsWith('https:'),
    logLevel: level as Config['logLevel'],
    appDir: resolve(env.APP_DIR || d.appDir),
    migrationsDir: resolve(env.MIGRATIONS_DIR || d.migrationsDir),
    pushAllowInsecure: env.PUSH_ALLOW_INSECURE === '1',
    pushSubject: env.PUSH_SUBJECT || d.pushSubject,
    limits: readLimits(env),
    appendGatherMs: int('APPEND_GATHER_MS', d.appendGatherMs, env)
  };
}
