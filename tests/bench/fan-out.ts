import type { Sql } from 'postgres';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { freshBenchDatabase, seedRooms, type SeededRoom } from './lib/bench-database';
import { benchPort, contenders, LOADGEN_CPU, SERVER_CPU, type Contender, type ContenderName } from './lib/contenders';
import { postgresCpuMicros } from './lib/postgres-cpu';
import { connectAll, RawClient } from './lib/raw-client';
import { median, pinSelf, quantile, sleep } from './lib/stats';

/**
 * Fan-out: `rooms` rooms of `perRoom` raw WebSocket clients; member 0 of each room writes
 * `ratePerRoom` chat messages a second (built with sendMessage on its own Y.Doc, so Porch's
 * write rules accept them), the other members receive. Measured over `windowMs` after a
 * warm-up: the server's CPU time (user+sys, /proc/<pid>/stat) per update received by a
 * non-writing client, and per room one probe client's delivery latency (send to receipt,
 * same process and monotonic clock). The reference server and Hocuspocus also echo each
 * update to its writer; those echoes are not counted as deliveries.
 */
export interface FanOutSetup {
  rooms: number;
  perRoom: number;
  ratePerRoom: number;
  warmupMs: number;
  windowMs: number;
  runs: number;
  /** Only these servers (default: all). */
  only?: ContenderName[];
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export interface FanOutRun {
  cpuUsPerDelivery: number;
  /** Postgres backends' CPU per delivery (Porch only; NaN for the others). */
  pgUsPerDelivery: number;
  deliveriesPerSec: number;
  /** Deliveries received / messages sent in the window × receivers per room. */
  deliveredShare: number;
  serverCpuShare: number;
  /** CPU share of the load generator (this process) in the window: near 100 % means latencies are its own. */
  loadgenCpuShare: number;
  p50Ms: number;
  p99Ms: number;
  /** Messages per update frame a receiver got (above 1 when the server merged updates). */
  messagesPerFrame: number;
}

export interface FanOutRow {
  contender: Contender;
  runs: FanOutRun[];
  median: FanOutRun;
}

/** Rooms with members for servers that know no users: any ids do. */
function syntheticRooms(rooms: number, perRoom: number): SeededRoom[] {
  const tag = Math.random().toString(36).slice(2, 8);
  return Array.from({ length: rooms }, (_, r) => ({
    id: `bench-${tag}-${r}`,
    members: Array.from({ length: perRoom }, (_, m) => ({ id: `user-${r}-${m}`, token: '' }))
  }));
}

/** The ids of the chat messages an update carries (one, or several when a server merged updates). */
function messageIdsOf(update: Uint8Array): string[] {
  const ids: string[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const value of struct.content.getContent() as { id?: unknown }[]) if (typeof value?.id === 'string') ids.push(value.id);
  }
  return ids;
}

async function fanOutOnce(contender: Contender, setup: FanOutSetup): Promise<FanOutRun> {
  let sql: Sql | null = null;
  let rooms: SeededRoom[];
  let databaseUrl: string | undefined;
  if (contender.needsDatabase) {
    const db = await freshBenchDatabase();
    sql = db.sql;
    databaseUrl = db.url;
    rooms = await seedRooms(db.sql, setup.rooms, setup.perRoom);
  } else {
    rooms = syntheticRooms(setup.rooms, setup.perRoom);
  }
  const server = contender.server(benchPort(), databaseUrl);
  await server.start(SERVER_CPU, setup.nodeFlags);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  // A server may merge several messages into one update: the probes count both, and
  // deliveries are frames received × messages per frame (1 for servers that never merge).
  const probed = { frames: 0, messages: 0 };
  const probe = (update: Uint8Array) => {
    if (!measuring) return;
    const ids = messageIdsOf(update);
    probed.frames++;
    probed.messages += ids.length;
    for (const id of ids) {
      const t = sentAt.get(id);
      if (t !== undefined) latencies.push(performance.now() - t);
    }
  };
  const open = (room: SeededRoom, m: number) => () =>
    new RawClient({
      url: contender.roomUrl(server, room.id),
      framing: contender.framing,
      token: contender.needsDatabase ? room.members[m]!.token : undefined,
      docName: room.id,
      onUpdate: m === 1 ? probe : undefined
    });
  const clients = await connectAll(rooms.flatMap((room) => room.members.map((_, m) => open(room, m))));
  const writers = rooms.map((room, r) => {
    const client = clients[r * setup.perRoom]!;
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => client.sendUpdate(update));
    return { room, doc, author: room.members[0]!.id, sent: 0 };
  });
  const receivers = clients.filter((_, i) => i % setup.perRoom !== 0);
  const delivered = () => receivers.reduce((sum, c) => sum + c.deliveries, 0);
  const sentTotal = () => writers.reduce((sum, w) => sum + w.sent, 0);

  const start = performance.now();
  const tick = setInterval(() => {
    const elapsed = (performance.now() - start) / 1000;
    writers.forEach((w, r) => {
      const due = Math.floor(elapsed * setup.ratePerRoom + r / writers.length);
      while (w.sent < due) {
        const id = `m${r}_${w.sent++}`;
        sentAt.set(id, performance.now());
        sendMessage(w.doc, { author: w.author, text: `message ${id}`, id });
      }
    });
  }, 5);

  await sleep(setup.warmupMs);
  const pgPids = sql ? await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = 'porch_bench' and backend_type = 'client backend' and pid <> pg_backend_pid()` : [];
  const [cpu0, pg0, delivered0, sent0] = [await server.cpuMicros(), await postgresCpuMicros(pgPids), delivered(), sentTotal()];
  const t0 = performance.now();
  const loadgen0 = process.cpuUsage();
  measuring = true;
  await sleep(setup.windowMs);
  const [cpu1, pg1, delivered1, sent1] = [await server.cpuMicros(), await postgresCpuMicros(pgPids), delivered(), sentTotal()];
  const seconds = (performance.now() - t0) / 1000;
  const loadgen = process.cpuUsage(loadgen0);
  measuring = false;
  clearInterval(tick);

  const closedEarly = clients.filter((c) => c.closed).length;
  // Server first: it closes the sockets, so their TIME_WAIT is on its side.
  await server.stop();
  for (const c of clients) c.close();
  for (const w of writers) w.doc.destroy();
  await sql?.end();
  if (closedEarly > 0) throw new Error(`${contender.name}: ${closedEarly} clients were closed during the run`);

  const messagesPerFrame = probed.frames > 0 ? probed.messages / probed.frames : 1;
  const deliveries = (delivered1 - delivered0) * messagesPerFrame;
  const expected = (sent1 - sent0) * (setup.perRoom - 1);
  return {
    cpuUsPerDelivery: (cpu1 - cpu0) / deliveries,
    pgUsPerDelivery: sql ? (pg1 - pg0) / deliveries : Number.NaN,
    deliveriesPerSec: deliveries / seconds,
    deliveredShare: deliveries / expected,
    serverCpuShare: (cpu1 - cpu0) / 1e6 / seconds,
    loadgenCpuShare: (loadgen.user + loadgen.system) / 1e6 / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    messagesPerFrame
  };
}

/** Every contender `setup.runs` times, interleaved (so drift on a shared machine hits all alike). */
export async function fanOut(setup: FanOutSetup): Promise<FanOutRow[]> {
  const rows: FanOutRow[] = contenders.filter((c) => !setup.only || setup.only.includes(c.name)).map((contender) => ({ contender, runs: [], median: {} as FanOutRun }));
  pinSelf(LOADGEN_CPU);
  try {
    for (let run = 0; run < setup.runs; run++) {
      for (const row of rows) {
        const result = await fanOutOnce(row.contender, setup);
        console.log(`fan-out ${row.contender.name} run ${run + 1}:`, result);
        row.runs.push(result);
      }
    }
  } finally {
    pinSelf(null);
  }
  for (const row of rows) {
    const keys = Object.keys(row.runs[0]!) as (keyof FanOutRun)[];
    row.median = Object.fromEntries(keys.map((k) => [k, median(row.runs.map((r) => r[k]))])) as unknown as FanOutRun;
  }
  return rows;
}
