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
  /** Abuse limits (README, "Limits"); each is an environment variable. */
  limits: Limits;
  /**
   * APPEND_GATHER_MS: how long a busy server lets appends gather into one INSERT
   * (storage/postgres-update-store.ts). @default 10
   */
  appendGatherMs: number;
}

/** Every limit the process enforces, with the environment variable that sets it. */
export interface Limits {
  /** MAX_FRAME_BYTES: largest sync WebSocket message; over it closes with 1009. @default 1 MiB */
  maxFrameBytes: number;
  /** SYNC_RATE_BURST: sync messages a connection may send at once. @default 200 */
  rateBurst: number;
  /** SYNC_RATE_PER_SECOND: ... and then per second on average; over it closes with 4429. @default 50 */
  ratePerSecond: number;
  /**
   * MAX_CONNECTIONS_PER_USER: open sync connections per user on one instance. Each tab keeps
   * up to 31 (the open room and 30 live rooms of the list): 200 is about six tabs or devices.
   * @default 200
   */
  maxConnectionsPerUser: number;
  /** MAX_ROOMS_PER_USER: group rooms and DMs a user may have created (and not deleted). @default 500 */
  maxRoomsPerUser: number;
  /** MAX_MEMBERS_PER_ROOM: people in one room. @default 1000 */
  maxMembersPerRoom: number;
  /** LOGIN_FREE_ATTEMPTS: failed sign-ins per username before each next one must wait. @default 5 */
  loginFreeAttemptsPerUsername: number;
  /** LOGIN_FREE_ATTEMPTS_PER_ADDRESS: the same per client address (NAT: more slack). @default 50 */
  loginFreeAttemptsPerAddress: number;
  /** LOGIN_BACKOFF_MS: the first wait; it doubles with each further failure. @default 1000 */
  loginBackoffMs: number;
  /** LOGIN_BACKOFF_MAX_MS: the longest wait. @default 15 min */
  loginBackoffMaxMs: number;
}

export const defaultLimits: Limits = {
  maxFrameBytes: 1024 * 1024,
  rateBurst: 200,
  ratePerSecond: 50,
  maxConnectionsPerUser: 200,
  maxRoomsPerUser: 500,
  maxMembersPerRoom: 1000,
  loginFreeAttemptsPerUsername: 5,
  loginFreeAttemptsPerAddress: 50,
  loginBackoffMs: 1000,
  loginBackoffMaxMs: 15 * 60 * 1000
};

function int(name: string, fallback: number, env: NodeJS.ProcessEnv, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

/** Limits from the environment; a limit of 0 would lock everyone out, so most need 1. */
export function readLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const d = defaultLimits;
  return {
    maxFrameBytes: int('MAX_FRAME_BYTES', d.maxFrameBytes, env, 1024),
    rateBurst: int('SYNC_RATE_BURST', d.rateBurst, env, 1),
    ratePerSecond: int('SYNC_RATE_PER_SECOND', d.ratePerSecond, env, 1),
    maxConnectionsPerUser: int('MAX_CONNECTIONS_PER_USER', d.maxConnectionsPerUser, env, 1),
    maxRoomsPerUser: int('MAX_ROOMS_PER_USER', d.maxRoomsPerUser, env, 1),
    maxMembersPerRoom: int('MAX_MEMBERS_PER_ROOM', d.maxMembersPerRoom, env, 2),
    loginFreeAttemptsPerUsername: int('LOGIN_FREE_ATTEMPTS', d.loginFreeAttemptsPerUsername, env),
    loginFreeAttemptsPerAddress: int('LOGIN_FREE_ATTEMPTS_PER_ADDRESS', d.loginFreeAttemptsPerAddress, env),
    loginBackoffMs: int('LOGIN_BACKOFF_MS', d.loginBackoffMs, env, 1),
    loginBackoffMaxMs: int('LOGIN_BACKOFF_MAX_MS', d.loginBackoffMaxMs, env, 1)
  };
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
    pushSubject: env.PUSH_SUBJECT || 'mailto:push@porch.invalid',
    limits: readLimits(env),
    appendGatherMs: int('APPEND_GATHER_MS', 10, env)
  };
}
