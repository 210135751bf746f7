import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { PostgresUpdateStore } from '../../sync-server/storage/postgres-update-store';
import { freshBenchDatabase, seedHistory, seedRooms } from './lib/bench-database';
import { benchPort, LOADGEN_CPU, porchProcess, SERVER_CPU } from './lib/contenders';
import { RawClient } from './lib/raw-client';
import { pinSelf, quantile, sleep } from './lib/stats';

/**
 * Compaction of a big room, seen from another room. A room with `messages` stored messages
 * takes `burst` more (at `burstRate`/s), which makes the server compact its log into its
 * snapshot once; meanwhile a writer in a small room sends a message every 10 ms and times
 * each durable ack. A merge on the event loop shows as that writer's slowest acks.
 */
export interface CompactionStallSetup {
  messages: number;
  burst: number;
  burstRate: number;
}

export interface CompactionStallResult {
  messages: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  acked: number;
}

export async function compactionStall(setup: CompactionStallSetup): Promise<CompactionStallResult> {
  pinSelf(LOADGEN_CPU);
  const { url, sql } = await freshBenchDatabase();
  const [big, small] = await seedRooms(sql, 2, 1);
  await seedHistory(sql, big!.id, big!.members[0]!.id, setup.messages);
  // The big room's writer starts from the stored room, as a synced client would.
  const bigDoc = new Y.Doc();
  for (const u of await new PostgresUpdateStore(sql).load(big!.id)) Y.applyUpdate(bigDoc, u);

  const server = porchProcess(benchPort(), url);
  await server.start(SERVER_CPU);
  const ws = server.url.replace(/^http/, 'ws');
  const bigClient = new RawClient({ url: `${ws}/sync/${big!.id}`, framing: 'y-websocket', token: big!.members[0]!.token });
  const inFlight: { clock: number; sentAt: number }[] = [];
  const latencies: number[] = [];
  const smallClient = new RawClient({
    url: `${ws}/sync/${small!.id}`,
    framing: 'y-websocket',
    token: small!.members[0]!.token,
    onAck: (_client, clock) => {
      while (inFlight.length > 0 && inFlight[0]!.clock <= clock) latencies.push(performance.now() - inFlight.shift()!.sentAt);
    }
  });
  await Promise.all([bigClient.synced, smallClient.synced]);
  bigDoc.on('update', (u: Uint8Array) => bigClient.sendUpdate(u));
  const smallDoc = new Y.Doc();
  smallDoc.on('update', (u: Uint8Array) => {
    smallClient.sendUpdate(u);
    inFlight.push({ clock: Y.getState(smallDoc.store, smallDoc.clientID), sentAt: performance.now() });
  });

  const probe = setInterval(() => sendMessage(smallDoc, { author: small!.members[0]!.id, text: 'probe' }), 10);
  await sleep(1000);
  latencies.length = 0;
  for (let i = 0; i < setup.burst; i++) {
    sendMessage(bigDoc, { author: big!.members[0]!.id, text: `burst ${i}` });
    await sleep(1000 / setup.burstRate);
  }
  // The compaction runs once the 500th update is stored; give it time to finish.
  await sleep(3000);
  clearInterval(probe);
  await sleep(200);
  bigClient.close();
  smallClient.close();
  await server.stop();
  await sql.end();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { messages: setup.messages, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN, acked: sorted.length };
}
