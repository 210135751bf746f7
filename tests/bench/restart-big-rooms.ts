import { reconnectDelay } from '../../src/lib/sync/backoff';
import { freshBenchDatabase, seedHistory, seedRooms } from './lib/bench-database';
import { benchPort, LOADGEN_CPU, porchProcess, SERVER_CPU } from './lib/contenders';
import { connectAll, RawClient } from './lib/raw-client';
import { pinSelf, quantile, sleep } from './lib/stats';

/**
 * Restart with big rooms: `rooms` rooms of `perRoom` up-to-date clients, each room holding
 * `messages` messages in Postgres. The server is SIGKILLed, stays down `downMs`, restarts
 * and must open every room again while all clients come back with Porch's reconnect
 * policy (src/lib/sync/backoff.ts). Each client sends its full state vector, as a synced
 * browser does, so the work is the room loads and the handshakes. Measured from "healthy
 * again": until every client has its sync step 2, the peak rate of accepted connections,
 * and errors (a close with an application code, or a client not back within 60 s).
 */
export interface RestartSetup {
  rooms: number;
  perRoom: number;
  messages: number;
  downMs: number;
}

export interface RestartResult {
  clients: number;
  allSyncedMs: number;
  p50SyncedMs: number;
  peakAcceptsPerSec: number;
  errors: number;
  neverBack: number;
}

export async function restartBigRooms(setup: RestartSetup): Promise<RestartResult> {
  pinSelf(LOADGEN_CPU);
  const { url, sql } = await freshBenchDatabase();
  const rooms = await seedRooms(sql, setup.rooms, setup.perRoom);
  const vectors = new Map<string, Uint8Array>();
  for (const room of rooms) vectors.set(room.id, (await seedHistory(sql, room.id, room.members[0]!.id, setup.messages)).stateVector);
  const server = porchProcess(benchPort(), url, { LOG_LEVEL: process.env.BENCH_LOG ?? 'error' });
  await server.start(SERVER_CPU);

  const wsUrl = (roomId: string) => `${server.url.replace(/^http/, 'ws')}/sync/${roomId}`;
  let errors = 0;
  let stopped = false;
  const accepts: number[] = [];
  interface Slot { client: RawClient; syncedAt: number; disconnectedAt: number }
  const slots: Slot[] = [];
  const open = (slot: Slot, roomId: string, token: string): RawClient => {
    const client = new RawClient({ url: wsUrl(roomId), framing: 'y-websocket', token, stateVector: vectors.get(roomId) });
    client.ws.on('open', () => accepts.push(performance.now()));
    client.synced.then(
      () => {
        slot.syncedAt = performance.now();
        slot.disconnectedAt = 0;
      },
      () => {}
    );
    client.ws.on('close', (code) => {
      if (stopped) return;
      // 1006: the server died or refused the TCP connection; anything else is an answer.
      if (code !== 1006 && code !== 1005) errors++;
      slot.syncedAt = 0;
      if (slot.disconnectedAt === 0) slot.disconnectedAt = performance.now();
      setTimeout(() => {
        if (!stopped) slot.client = open(slot, roomId, token);
      }, reconnectDelay(performance.now() - slot.disconnectedAt));
    });
    return client;
  };
  await connectAll(
    rooms.flatMap((room) =>
      room.members.map((m) => () => {
        const slot: Slot = { client: null as unknown as RawClient, syncedAt: 0, disconnectedAt: 0 };
        slots.push(slot);
        slot.client = open(slot, room.id, m.token);
        return slot.client;
      })
    )
  );
  await sleep(1000);

  await server.stop('SIGKILL');
  const killedAt = performance.now();
  await sleep(setup.downMs);
  await server.start(SERVER_CPU);
  // Clients may get in between the new process listening and its first healthy answer: they
  // count as back at once (0 ms).
  const upAt = performance.now();
  const deadline = upAt + 60_000;
  while (slots.some((s) => s.syncedAt < killedAt) && performance.now() < deadline) await sleep(20);
  const synced = slots.filter((s) => s.syncedAt >= killedAt).map((s) => Math.max(0, s.syncedAt - upAt));
  const windows = new Map<number, number>();
  for (const t of accepts) if (t >= killedAt) windows.set(Math.floor(t / 100), (windows.get(Math.floor(t / 100)) ?? 0) + 1);

  stopped = true;
  for (const s of slots) s.client.close();
  await server.stop();
  await sql.end();
  return {
    clients: slots.length,
    allSyncedMs: synced.length === slots.length ? Math.max(...synced) : Number.NaN,
    p50SyncedMs: quantile(synced, 0.5),
    peakAcceptsPerSec: Math.max(0, ...windows.values()) * 10,
    errors,
    neverBack: slots.length - synced.length
  };
}
