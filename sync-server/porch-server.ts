import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Sql } from 'postgres';
import { sessionTokenFromAuthorization, sessionTokenFromCookieHeader, validateSessionToken } from '../src/lib/server/auth/session';
import { getRole, getRoom, listRooms } from '../src/lib/server/rooms';
import { listPeople } from '../src/lib/server/profiles';
import { setRuntime } from '../src/lib/server/runtime';
import { loadVapidKeys } from '../src/lib/server/push/vapid';
import { defaultLimits, type Limits } from './config';
import { MAX_JSON_BODY_BYTES } from '../src/lib/server/http/limits';
import { isSameOrigin } from '../src/lib/server/http/same-origin';
import { securityHeaders } from './security-headers';
import type { Logger } from './log';
import { defaultPushOptions, PushNotifier, type PushOptions } from './push/push-notifier';
import { PostgresUpdateStore } from './storage/postgres-update-store';
import type { UpdateStore } from './storage/update-store';
import type { RedisFanout } from './fanout/redis-fanout';
import { createSharedLimits } from './limits/shared-limits';
import { SyncServer, type RoomAccess, type SyncServerOptions } from './sync-server';

/** A Connect-style handler, as SvelteKit's adapter-node builds it. */
export type AppHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface PorchServerOptions extends PorchRuntimeOptions {
  port: number;
  host: string;
  /** The built SvelteKit app; without it only /healthz, /metrics and /sync answer. */
  app?: AppHandler;
  /** The prerendered shell page, whose CSP the server repeats as a header (security-headers.ts). */
  shellFile?: string;
}

export interface PorchServer {
  http: Server;
  sync: SyncServer;
  /** Push notifications (tests wait for `pending` to reach 0). */
  notifier: PushNotifier;
  port: number;
  /** Stops accepting, flushes the log, closes sockets with 1012. Leaves the database open. */
  close(): Promise<void>;
}

/**
 * One HTTP server for everything: the SvelteKit app, /healthz, /metrics and the
 * WebSocket upgrade on /sync/:roomId, so the page, the API and the socket share an origin
 * and the session cookie.
 */
export interface PorchRuntimeOptions {
  sql: Sql;
  log: Logger;
  secureCookies?: boolean;
  /** Defaults to the Postgres update log on `sql`. */
  store?: UpdateStore;
  sync?: Partial<SyncServerOptions>;
  /** Abuse limits (config.ts; README, "Limits"); `sync` overrides the sync server's share. */
  limits?: Partial<Limits>;
  /** How long a busy Postgres log lets appends gather into one INSERT (APPEND_GATHER_MS). */
  appendGatherMs?: number;
  /** The public origin (ORIGIN); unset means the Host header names us. */
  origin?: string | undefined;
  /** Connected fan-out to other instances (REDIS_URL); closed with the server. */
  fanout?: RedisFanout | null;
  /**
   * Connected Redis client (limits/shared-limits.ts `connectLimitsRedis`) that sign-in
   * throttling and connections per user count in, so every instance on it shares one count;
   * null or absent: each counts in its own memory. Closed with the server.
   */
  limitsRedis?: Redis | null;
  /** Web Push settings (config.ts: PUSH_ALLOW_INSECURE, PUSH_SUBJECT). */
  push?: Partial<PushOptions>;
}

/**
 * The parts of Porch that live beside an HTTP server: the sync server, and the runtime the
 * SvelteKit code reads (sql, access events, throttles). Used by the production server below
 * and by the Vite dev server (vite.config.ts).
 */
export function createPorchRuntime(options: PorchRuntimeOptions): {
  sync: SyncServer;
  notifier: PushNotifier;
  handle: (req: IncomingMessage, res: ServerResponse) => boolean;
  close: () => Promise<void>;
} {
  const { sql, log } = options;
  const store = options.store ?? new PostgresUpdateStore(sql, { gatherMs: options.appendGatherMs });
  const push = { ...defaultPushOptions, ...options.push };
  const notifier = new PushNotifier(sql, log, push);
  const limits = { ...defaultLimits, ...options.limits };
  const syncOptions: Partial<SyncServerOptions> = {
    maxMessageBytes: limits.maxFrameBytes,
    rateBurst: limits.rateBurst,
    ratePerSecond: limits.ratePerSecond,
    ...options.sync
  };
  const shared = createSharedLimits(limits, options.limitsRedis ?? null, log);

  const sync = new SyncServer(
    {
      store,
      log,
      fanout: options.fanout ?? null,
      notifier,
      connections: shared.connections,
      userRooms: (userId) => listRooms(sql, userId),
      userPeople: (userId) => listPeople(sql, userId),
      async authenticate(req) {
        const token = sessionTokenFromCookieHeader(req.headers.cookie) ?? sessionTokenFromAuthorization(req.headers.authorization);
        if (!token) return null;
        const valid = await validateSessionToken(sql, token);
        return valid ? { ...valid.user, sessionId: valid.session.id } : null;
      },
      allowOrigin: (req) => isSameOrigin(req.headers.origin, { configuredOrigin: options.origin, host: req.headers.host }),
      async access(roomId, userId): Promise<RoomAccess> {
        const [room, role] = await Promise.all([getRoom(sql, roomId), getRole(sql, roomId, userId)]);
        if (!room) return { status: 'not-found' };
        return role ? { status: 'member', role } : { status: 'forbidden' };
      }
    },
    syncOptions
  );
  const fanout = options.fanout ?? null;
  // Access changes reach the sockets of every instance, not only this one's.
  fanout?.onAccess((message) => {
    switch (message.kind) {
      case 'member-removed':
        notifier.audienceChanged(message.roomId);
        return sync.memberRemoved(message.roomId, message.userId);
      case 'room-deleted':
        notifier.audienceChanged(message.roomId);
        return sync.roomDeleted(message.roomId);
      case 'audience-changed':
        return notifier.audienceChanged(message.roomId);
      case 'sessions-ended':
        return sync.sessionsEnded(message.userId);
      case 'session-ended':
        return sync.sessionEnded(message.sessionId);
      case 'rooms-changed':
        return sync.roomsChanged(message.userIds);
      case 'role-changed':
        return sync.roleChanged(message.roomId, message.userId);
      default:
        throw new Error(`unexpected access message ${(message satisfies never) as string}`);
    }
  });

  setRuntime({
    sql,
    secureCookies: options.secureCookies ?? false,
    origin: options.origin,
    push: { allowInsecure: push.allowInsecure },
    loginThrottle: shared.loginThrottle,
    limits: { roomsPerUser: limits.maxRoomsPerUser, membersPerRoom: limits.maxMembersPerRoom },
    eraseMessages: (roomId, userId) => sync.eraseMessagesOf(roomId, userId),
    recordRoomEvent: (roomId, event) =>
      sync.recordRoomEvent(roomId, event).catch((err: unknown) => log.error('could not record a room event', { room: roomId, kind: event.kind, error: err })),
    access: {
      memberRemoved: (roomId, userId) => {
        notifier.audienceChanged(roomId);
        sync.memberRemoved(roomId, userId);
        fanout?.publishAccess({ kind: 'member-removed', roomId, userId });
      },
      roomDeleted: (roomId) => {
        notifier.audienceChanged(roomId);
        sync.roomDeleted(roomId);
        fanout?.publishAccess({ kind: 'room-deleted', roomId });
      },
      audienceChanged: (roomId) => {
        notifier.audienceChanged(roomId);
        fanout?.publishAccess({ kind: 'audience-changed', roomId });
      },
      sessionsEnded: (userId) => {
        sync.sessionsEnded(userId);
        fanout?.publishAccess({ kind: 'sessions-ended', userId });
      },
      sessionEnded: (sessionId) => {
        sync.sessionEnded(sessionId);
        fanout?.publishAccess({ kind: 'session-ended', sessionId });
      },
      roleChanged: (roomId, userId) => {
        sync.roleChanged(roomId, userId);
        fanout?.publishAccess({ kind: 'role-changed', roomId, userId });
      },
      roomsChanged: (userIds) => {
        if (userIds.length === 0) return;
        sync.roomsChanged(userIds);
        fanout?.publishAccess({ kind: 'rooms-changed', userIds });
      }
    }
  });

  /** Answers /healthz and /metrics; false for anything else. */
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') void healthz(sql, res);
    else if (path === '/metrics') metrics(sync, notifier, res);
    else return false;
    return true;
  };
  const close = async () => {
    await sync.close();
    // After the sockets: the last stored messages may still hand it notifications, and
    // their closes give their connection places back.
    await notifier.close();
    await shared.close();
    await fanout?.close();
  };
  return { sync, notifier, handle, close };
}

/** {@link createPorchRuntime}, once the VAPID key pair is there: what a server (ours or Vite's) starts with. */
export async function preparePorchRuntime(options: PorchRuntimeOptions): Promise<ReturnType<typeof createPorchRuntime>> {
  // The VAPID key pair is made at first start, so the first subscriber finds it ready.
  await loadVapidKeys(options.sql);
  return createPorchRuntime(options);
}

export async function startPorchServer(options: PorchServerOptions): Promise<PorchServer> {
  const runtime = await preparePorchRuntime(options);
  const { sync, notifier, handle } = runtime;
  const headers = securityHeaders(options.shellFile);
  const http = createServer((req, res) => {
    headers.apply(res);
    if (handle(req, res)) return;
    const refusal = refuseApiBody(req);
    if (refusal) {
      // Answered before the body is read, in the API's own error shape. Node then reads and
      // drops the body (closing instead would reset the connection under the client).
      res.writeHead(refusal.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
      return;
    }
    if (options.app) {
      options.app(req, res, () => notFound(res));
    } else {
      notFound(res);
    }
  });
  http.on('upgrade', (req, socket, head) => {
    if (!sync.handleUpgrade(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  return {
    http,
    sync,
    notifier,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await runtime.close();
      http.closeAllConnections();
      await closed;
      setRuntime(undefined);
    }
  };
}

/**
 * An API request with a body the API will never read: larger than the JSON limit by its
 * Content-Length (adapter-node's own limit is 512 KiB), or not JSON. The second also keeps
 * form-encoded posts from reaching SvelteKit's form CSRF check, whose answer is plain text.
 */
function refuseApiBody(req: IncomingMessage): { status: number; code: string; message: string } | null {
  if (!(req.url ?? '').startsWith('/api/')) return null;
  // The one route that takes bytes, not JSON: it checks its own size and type.
  if (req.method === 'PUT' && (req.url ?? '').split('?')[0] === '/api/me/avatar') return null;
  if (Number(req.headers['content-length'] ?? 0) > MAX_JSON_BODY_BYTES) {
    return { status: 413, code: 'payload_too_large', message: `Request body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB` };
  }
  const type = req.headers['content-type'];
  if (type !== undefined && type !== '' && !/^application\/json\b/i.test(type.trim())) {
    return { status: 415, code: 'unsupported_media_type', message: 'Send JSON (Content-Type: application/json)' };
  }
  return null;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }));
}

async function healthz(sql: Sql, res: ServerResponse): Promise<void> {
  try {
    await Promise.race([
      sql`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())
    ]);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'ok', database: 'ok' }));
  } catch {
    res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'unavailable', database: 'unreachable' }));
  }
}

function metrics(sync: SyncServer, notifier: PushNotifier, res: ServerResponse): void {
  const { connections, rooms } = sync.stats;
  const mem = process.memoryUsage();
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(
    [
      '# HELP porch_sync_connections Open sync WebSocket connections.',
      '# TYPE porch_sync_connections gauge',
      `porch_sync_connections ${connections}`,
      '# HELP porch_sync_rooms Rooms loaded in memory.',
      '# TYPE porch_sync_rooms gauge',
      `porch_sync_rooms ${rooms}`,
      '# HELP porch_push_pending Push notifications being prepared, queued or retried.',
      '# TYPE porch_push_pending gauge',
      `porch_push_pending ${notifier.pending}`,
      '# HELP process_resident_memory_bytes Resident memory.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      ''
    ].join('\n')
  );
}
