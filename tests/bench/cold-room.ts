import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { freshBenchDatabase, seedRooms } from './lib/bench-database';
import { benchPort, LOADGEN_CPU, SERVER_CPU } from './lib/contenders';
import { RawClient } from './lib/raw-client';
import { ServerProcess } from './lib/server-process';
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
  const doc = new Y.Doc();
  for (let i = 0; i < setup.messages; i++) sendMessage(doc, { author: author.id, text: `message ${i}: ${'lorem ipsum '.repeat(3)}` });
  const snapshot = Y.encodeStateAsUpdate(doc);
  await sql`insert into room_snapshots (room_id, data, update_count) values (${room!.id}, ${Buffer.from(snapshot)}, ${setup.messages})`;
  await sql`insert into doc_clients (room_id, client_id, user_id) values (${room!.id}, ${doc.clientID}, ${author.id})`;
  const upToDate = Y.encodeStateVector(doc);

  // A server that has been running a while: its code is compiled (a warm-up room of 10,000
  // messages is loaded first), the measured room is not in memory.
  const [warmup] = await seedRooms(sql, 1, 1);
  const warmDoc = new Y.Doc();
  for (let i = 0; i < 10_000; i++) sendMessage(warmDoc, { author: warmup!.members[0]!.id, text: `warm-up ${i}` });
  await sql`insert into room_snapshots (room_id, data, update_count) values (${warmup!.id}, ${Buffer.from(Y.encodeStateAsUpdate(warmDoc))}, 10000)`;
  await sql`insert into doc_clients (room_id, client_id, user_id) values (${warmup!.id}, ${warmDoc.clientID}, ${warmup!.members[0]!.id})`;

  const server = new ServerProcess(benchPort(), { DATABASE_URL: url, LOG_LEVEL: process.env.BENCH_LOG ?? 'error' }, [process.env.BENCH_PORCH_SERVER ?? 'build/server.js']);
  await server.start(SERVER_CPU);
  for (let i = 0; i < 3; i++) (await new RawClient({ url: `${server.url.replace(/^http/, 'ws')}/sync/${warmup!.id}`, framing: 'y-websocket', token: warmup!.members[0]!.token }).synced);
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
  doc.destroy();
  return {
    messages: setup.messages,
    snapshotBytes: snapshot.byteLength,
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
