import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { reconnectDelay } from '../../src/lib/sync/backoff';
import { bearerSocket } from '../helpers/sync-client';
import { freshBenchDatabase, seedRooms } from './lib/bench-database';
import { STORM_PORT } from './lib/contenders';
import { ServerProcess } from './lib/server-process';

/**
 * Reconnect storm: N clients connected, the server is SIGKILLed, stays down for a moment and
 * comes back. Measured client-side: time from "server healthy again" until every client is
 * synced, the peak rate of successful connections (per 100 ms window, as per second), the
 * connection attempts made while the server was down, and clients that never came back.
 * Two policies side by side: y-websocket's default (2^n x 100 ms, cap 2.5 s, no jitter) and
 * Porch's (full jitter under a ceiling of half the time disconnected, 0.5-30 s: src/lib/sync/backoff.ts).
 */

type Policy = 'y-websocket default' | 'porch full jitter';


interface StormResult {
  policy: Policy;
  clients: number;
  allSyncedMs: number;
  p50SyncedMs: number;
  peakConnectsPerSec: number;
  attemptsWhileDown: number;
  neverBack: number;
}

const DOWN_MS = 3000;

function client(url: string, roomId: string, token: string, policy: Policy, stats: { attempts: number }) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/sync', roomId, doc, {
    WebSocketPolyfill: bearerSocket(token),
    disableBc: true,
    connect: false,
    ...(policy === 'porch full jitter' ? { shouldReconnect: () => false } : {})
  });
  let disconnectedAt = 0;
  const state = { syncedAt: 0, connectedAt: [] as number[] };
  provider.on('status', ({ status }) => {
    if (status === 'connecting') stats.attempts++;
    if (status === 'connected') state.connectedAt.push(performance.now());
  });
  provider.on('sync', (synced: boolean) => {
    if (synced) {
      state.syncedAt = performance.now();
      disconnectedAt = 0;
    }
  });
  provider.on('connection-close', () => {
    state.syncedAt = 0;
    if (disconnectedAt === 0) disconnectedAt = performance.now();
  });
  if (policy === 'porch full jitter') {
    provider.on('closed', () => {
      setTimeout(() => provider.connect(), reconnectDelay(performance.now() - disconnectedAt));
    });
  }
  provider.connect();
  return { provider, doc, state };
}

async function storm(policy: Policy, clientsPerRoom: number, rooms: number): Promise<StormResult> {
  const { url: databaseUrl, sql } = await freshBenchDatabase();
  const seeded = await seedRooms(sql, rooms, clientsPerRoom);
  const server = new ServerProcess(STORM_PORT, { DATABASE_URL: databaseUrl });
  await server.start();
  const stats = { attempts: 0 };
  const clients = seeded.flatMap((room) => room.members.map((m) => client(server.url, room.id, m.token, policy, stats)));
  const deadline = performance.now() + 60_000;
  while (clients.some((c) => c.state.syncedAt === 0)) {
    if (performance.now() > deadline) throw new Error('clients did not connect at first');
    await new Promise((r) => setTimeout(r, 50));
  }

  await server.stop('SIGKILL');
  const killedAt = performance.now();
  for (const c of clients) c.state.connectedAt = [];
  stats.attempts = 0;
  await new Promise((r) => setTimeout(r, DOWN_MS));
  await server.start();
  const upAt = performance.now();
  const attemptsWhileDown = stats.attempts;

  // The server accepts before its first healthy answer: a client synced by then is back (at
  // 0 ms), not waiting. (Counting only syncs after upAt left such clients "waiting" until
  // y-websocket's 30 s watchdog made them sync again: all synced read 32 s.)
  const back = (c: (typeof clients)[number]) => c.state.syncedAt > killedAt;
  const end = performance.now() + 60_000;
  while (!clients.every(back) && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
  const synced = clients.filter(back).map((c) => Math.max(0, c.state.syncedAt - upAt)).sort((a, b) => a - b);
  const windows = new Map<number, number>();
  for (const c of clients) for (const t of c.state.connectedAt) if (t > killedAt) windows.set(Math.floor(t / 100), (windows.get(Math.floor(t / 100)) ?? 0) + 1);

  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
  await server.stop();
  await sql.end();
  return {
    policy,
    clients: clients.length,
    allSyncedMs: synced.length === clients.length ? synced.at(-1)! : Number.NaN,
    p50SyncedMs: synced[Math.floor(synced.length / 2)] ?? Number.NaN,
    peakConnectsPerSec: Math.max(0, ...windows.values()) * 10,
    attemptsWhileDown,
    neverBack: clients.length - synced.length
  };
}

export async function reconnectStorm(): Promise<StormResult[]> {
  const results: StormResult[] = [];
  for (const policy of ['y-websocket default', 'porch full jitter'] as const) results.push(await storm(policy, 10, 50));
  return results;
}
