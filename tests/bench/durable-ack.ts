import type { Sql } from 'postgres';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { freshBenchDatabase, seedRooms } from './lib/bench-database';
import { benchPort, LOADGEN_CPU, porchProcess, SERVER_CPU } from './lib/contenders';
import { connectAll, RawClient } from './lib/raw-client';
import { pinSelf, quantile, sleep } from './lib/stats';

/**
 * Durable ack: one writer per room sends chat messages at a fixed total rate, spread over
 * the rooms; the latency is from handing the update to the socket to receiving Porch's ack
 * (message 100), which the server sends only once the update is committed in Postgres.
 * Also: Postgres WAL bytes per message (pg_stat_wal, the whole cluster: other work on the
 * same Postgres counts too) against the update's own size, and a ramp to the highest rate
 * whose acks keep up.
 */
export interface DurableAckSetup {
  rooms: number;
  rate: number;
  warmupMs: number;
  windowMs: number;
  /** Rates tried one after another (each for rampStepMs) to find the highest sustained one. */
  ramp: number[];
  rampStepMs: number;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export interface AckWindow {
  rate: number;
  sent: number;
  acked: number;
  p50Ms: number;
  p99Ms: number;
  /** Acks received in the window ÷ messages sent in it. */
  keptUp: number;
}

export interface DurableAckResult {
  steady: AckWindow;
  updateBytes: number;
  walBytesPerMessage: number;
  serverCpuUsPerMessage: number;
  ramp: AckWindow[];
  highestSustained: number;
}

interface Writer {
  doc: Y.Doc;
  client: RawClient;
  author: string;
  /** Clock after each sent update, with when it was sent; acks pop from the front. */
  inFlight: { clock: number; sentAt: number }[];
}

async function walBytes(sql: Sql): Promise<number> {
  const [row] = await sql<{ b: string }[]>`select wal_bytes::text as b from pg_stat_wal`;
  return Number(row?.b ?? Number.NaN);
}

export async function durableAck(setup: DurableAckSetup): Promise<DurableAckResult> {
  pinSelf(LOADGEN_CPU);
  const { url, sql } = await freshBenchDatabase();
  const rooms = await seedRooms(sql, setup.rooms, 1);
  const server = porchProcess(benchPort(), url);
  await server.start(SERVER_CPU, setup.nodeFlags);
  let measuring: { latencies: number[]; acked: number } | null = null;
  const writers: Writer[] = [];
  const clients = await connectAll(
    rooms.map((room, r) => () => {
      const client = new RawClient({
        url: `${server.url.replace(/^http/, 'ws')}/sync/${room.id}`,
        framing: 'y-websocket',
        token: room.members[0]!.token,
        onAck: (_client, clock) => {
          const w = writers[r]!;
          const now = performance.now();
          while (w.inFlight.length > 0 && w.inFlight[0]!.clock <= clock) {
            const { sentAt } = w.inFlight.shift()!;
            if (measuring) {
              measuring.latencies.push(now - sentAt);
              measuring.acked++;
            }
          }
        }
      });
      return client;
    })
  );
  rooms.forEach((room, r) => {
    const doc = new Y.Doc();
    const w: Writer = { doc, client: clients[r]!, author: room.members[0]!.id, inFlight: [] };
    doc.on('update', (update: Uint8Array) => {
      w.client.sendUpdate(update);
      w.inFlight.push({ clock: Y.getState(doc.store, doc.clientID), sentAt: performance.now() });
    });
    writers.push(w);
  });

  let sent = 0;
  let bytes = 0;
  let countBytes = false;
  for (const w of writers) w.doc.on('update', (u: Uint8Array) => countBytes && (bytes += u.byteLength));
  /** Sends at `rate` messages/s (round-robin over rooms) for `ms`, measuring after `warmupMs`. */
  const phase = async (rate: number, warmupMs: number, ms: number): Promise<AckWindow> => {
    const start = performance.now();
    let due = 0;
    let next = 0;
    const tick = setInterval(() => {
      const target = Math.floor(((performance.now() - start) / 1000) * rate);
      while (due < target) {
        const w = writers[next++ % writers.length]!;
        sendMessage(w.doc, { author: w.author, text: `message ${due++} ${'x'.repeat(40)}` });
        sent++;
      }
    }, 2);
    await sleep(warmupMs);
    const window = { latencies: [] as number[], acked: 0 };
    const sent0 = sent;
    measuring = window;
    await sleep(ms);
    measuring = null;
    clearInterval(tick);
    const sentIn = sent - sent0;
    return { rate, sent: sentIn, acked: window.acked, p50Ms: quantile(window.latencies, 0.5), p99Ms: quantile(window.latencies, 0.99), keptUp: window.acked / sentIn };
  };

  const wal0 = await walBytes(sql);
  const cpu0 = await server.cpuMicros();
  const sentBefore = sent;
  countBytes = true;
  const steady = await phase(setup.rate, setup.warmupMs, setup.windowMs);
  countBytes = false;
  await sleep(500);
  const messages = sent - sentBefore;
  const walPerMessage = ((await walBytes(sql)) - wal0) / messages;
  const cpuPerMessage = ((await server.cpuMicros()) - cpu0) / messages;
  console.log('durable ack steady:', steady, { walPerMessage, cpuPerMessage, updateBytes: bytes / messages });

  const ramp: AckWindow[] = [];
  for (const rate of setup.ramp) {
    await sleep(1000);
    const step = await phase(rate, 1000, setup.rampStepMs);
    console.log('durable ack ramp:', step);
    ramp.push(step);
    if (step.keptUp < 0.98 || step.p99Ms > 1000) break;
  }
  const sustained = ramp.filter((s) => s.keptUp >= 0.98 && s.p99Ms <= 1000);

  await server.stop();
  for (const c of clients) c.close();
  for (const w of writers) w.doc.destroy();
  await sql.end();
  return {
    steady,
    updateBytes: bytes / messages,
    walBytesPerMessage: walPerMessage,
    serverCpuUsPerMessage: cpuPerMessage,
    ramp,
    highestSustained: sustained.at(-1)?.rate ?? 0
  };
}
