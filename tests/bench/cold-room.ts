import { freshBenchDatabase, seedHistory, seedRooms } from './lib/bench-database';
import { benchPort, LOADGEN_CPU, porchProcess, SERVER_CPU } from './lib/contenders';
import { RawClient } from './lib/raw-client';
import { median, pinSelf, sleep } from './lib/stats';

/**
 * Cold room: a room with `messages` chat messages stored in Postgres (compacted into its
 * snapshot, as a long-lived room is), nobody connected. Then, one at a time: the first
 * client (the room loads), `clients` - 1 more new clients (empty state vector: they get
 * the whole room), and `reconnects` clients that are up to date (they send the full state
 * vector and get nothing back). Wall time is connect → sync step 2 received, including
 * the WebSocket handshake and the session and membership checks; server CPU is from
 * /proc (10 ms ticks, so per-client figures are totals ÷ clients).
 */
export interface ColdRoomSetup {
  messages: number;
  clients: number;
  reconnects: number;
}

export interface ColdRoomResult {
  messages: number;
  snapshotBytes: number;
  firstMs: number;
  firstCpuMs: number;
  newClientMs: number;
  newClientCpuMs: number;
  upToDateMs: number;
  upToDateCpuMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
}

export async function coldRoom(setup: ColdRoomSetup): Promise<ColdRoomResult> {
  pinSelf(LOADGEN_CPU);
  const { url, sql } = await freshBenchDatabase();
  const [room] = await seedRooms(sql, 1, Math.max(setup.clients, 2));
  const author = room!.members[0]!;
  const { stateVector: upToDate, snapshotBytes } = await seedHistory(sql, room!.id, author.id, setup.messages);
  // A server that has been running a while: its code is compiled (a warm-up room of 10,000
  // messages is loaded first), the measured room is not in memory.
  const [warmup] = await seedRooms(sql, 1, 1);
  await seedHistory(sql, warmup!.id, warmup!.members[0]!.id, 10_000);

  const server = porchProcess(benchPort(), url, { LOG_LEVEL: process.env.BENCH_LOG ?? 'error' });
  await server.start(SERVER_CPU);
  for (let i = 0; i < 3; i++) {
    const warm = new RawClient({ url: `${server.url.replace(/^http/, 'ws')}/sync/${warmup!.id}`, framing: 'y-websocket', token: warmup!.members[0]!.token });
    await warm.synced;
    warm.close();
  }
  await sleep(500);
  const rssBefore = await server.rssKb();
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/sync/${room!.id}`;
  const connect = async (token: string, stateVector?: Uint8Array): Promise<{ ms: number; client: RawClient }> => {
    const started = performance.now();
    const client = new RawClient({ url: wsUrl, framing: 'y-websocket', token, stateVector });
    await client.synced;
    return { ms: performance.now() - started, client };
  };
  // The first one holds the room in memory for the rest.
  const cpu0 = await server.cpuMicros();
  const first = await connect(author.token);
  const cpu1 = await server.cpuMicros();
  const newTimes: number[] = [];
  for (const member of room!.members.slice(1, setup.clients)) {
    const { ms, client } = await connect(member.token);
    newTimes.push(ms);
    client.close();
  }
  const cpu2 = await server.cpuMicros();
  const reconnectTimes: number[] = [];
  for (let i = 0; i < setup.reconnects; i++) {
    const { ms, client } = await connect(room!.members[1 + (i % (room!.members.length - 1))]!.token, upToDate);
    reconnectTimes.push(ms);
    client.close();
  }
  const cpu3 = await server.cpuMicros();
  const rssAfter = await server.rssKb();
  first.client.close();
  await server.stop();
  await sql.end();
  return {
    messages: setup.messages,
    snapshotBytes,
    firstMs: first.ms,
    firstCpuMs: (cpu1 - cpu0) / 1000,
    newClientMs: median(newTimes),
    newClientCpuMs: (cpu2 - cpu1) / 1000 / newTimes.length,
    upToDateMs: median(reconnectTimes),
    upToDateCpuMs: (cpu3 - cpu2) / 1000 / reconnectTimes.length,
    rssBeforeMb: rssBefore / 1024,
    rssAfterMb: rssAfter / 1024
  };
}
