import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { openDatabase } from '../../src/lib/server/db/database';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate';
import { PostgresUpdateStore } from '../../sync-server/storage/postgres-update-store';
import { freshBenchDatabase, seedRooms, type SeededRoom } from '../bench/lib/bench-database';
import { PORCH_BENCH_ENV } from '../bench/lib/contenders';
import { ServerProcess } from '../bench/lib/server-process';
import { sleep } from '../bench/lib/stats';
import { MIGRATIONS_DIR } from '../helpers/database';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { seededRandom } from '../helpers/seeded-random';
import { envInt, Report } from './lib/report';

/**
 * Crash durability (issue 7, item 1). 20 writers (the official y-websocket client, each with
 * its own Y.Doc, as the browser has) send chat messages as fast as the durable ack (message
 * type 100) allows, into 2 rooms of 10. The built server (`node build/server.js`) is SIGKILLed
 * at seeded random moments and restarted, CRASH_KILLS times. Writers keep writing while it is
 * down (offline, every 500 ms) and y-websocket resends what the server lacks on reconnect.
 *
 * A client's doc keeps every message, so a resend would hide a lost write at the end. So the
 * stored log is read after EVERY kill, before the restart: every message acked by then must be
 * in it exactly once. At the end every client has all its messages acked, every client doc
 * equals the stored one, and every message sent is stored exactly once.
 *
 * CRASH_DATABASE=embedded runs it on PGlite in a DATA_DIR (the default install) instead of
 * Postgres (a fresh `porch_crash` database on DATABASE_URL's server, or 127.0.0.1:5432).
 * CRASH_SERVER runs another server script (e.g. a build broken on purpose, to see this fail).
 */
const embedded = process.env.CRASH_DATABASE === 'embedded';
const KILLS = envInt('CRASH_KILLS', 25);
const SEED = envInt('CRASH_SEED', Math.floor(Math.random() * 2 ** 31));
const PORT = envInt('CRASH_PORT', 4361);
const ROOMS = 2;
const PER_ROOM = 10;
/** The server runs this long (uniform, after it answers /healthz) before each kill. */
const UP_MS: [number, number] = [100, 2500];
const OFFLINE_WRITE_MS = 500;
/** CRASH_LOG_LEVEL=warn shows the server's warnings (why a socket was closed, ids only). */
const logLevel = process.env.CRASH_LOG_LEVEL ? { LOG_LEVEL: process.env.CRASH_LOG_LEVEL } : {};
/**
 * Writers go as fast as acks come, past the per-connection rate a person needs (50/s), and
 * y-websocket 3 never reconnects after a 4429: this test is about durability, not limits.
 */
const serverEnv = { ...logLevel, ...PORCH_BENCH_ENV };

interface Writer {
  index: number;
  room: string;
  author: string;
  client: TestClient;
  /** Message id and the writer's clock once it is in the doc: acked when the ack reaches it. */
  sent: { id: string; clock: number }[];
}

const acked = (w: Writer) => w.client.acks.get(w.client.doc.clientID) ?? 0;
const ackedIds = (w: Writer) => w.sent.filter((m) => m.clock <= acked(w)).map((m) => m.id);

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Message id -> how many times it is in the stored room (snapshot + log, decoded into a fresh doc). */
function countIds(updates: Uint8Array[]): { counts: Map<string, number>; doc: Y.Doc } {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  const counts = new Map<string, number>();
  for (const m of listMessages(doc)) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
  return { counts, doc };
}

const report = new Report(embedded ? 'crash-embedded' : 'crash');
let server: ServerProcess | null = null;
let adminSql: Sql | null = null;
let dataDir: string | null = null;
const writers: Writer[] = [];
// Kept outside the run, so a run that stops early still reports what the kills so far showed.
let checkedAfterKills = 0;
let killsDone = 0;
const lostAfterKill: string[] = [];
const doubledAfterKill: string[] = [];
const killedAfterMs: number[] = [];
const ackedCheck = () =>
  report.check(
    'every message acked before a kill was stored after it',
    lostAfterKill.length === 0 && checkedAfterKills > 0,
    `${checkedAfterKills} acked messages checked over ${killsDone} kills, ${lostAfterKill.length} missing${lostAfterKill.length ? `: ${lostAfterKill.slice(0, 5).join(', ')}` : ''}`
  );
// Each y-websocket provider adds a process exit listener; 20 of them are expected.
process.setMaxListeners(ROOMS * PER_ROOM + 10);

try {
  // The database and its users, made before the server owns it.
  let rooms: SeededRoom[];
  let env: NodeJS.ProcessEnv;
  if (embedded) {
    dataDir = await mkdtemp(join(tmpdir(), 'porch-crash-'));
    const db = await openDatabase({ dataDir });
    await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
    rooms = await seedRooms(db.sql, ROOMS, PER_ROOM);
    await db.close();
    env = { DATABASE_URL: '', DATA_DIR: dataDir, ...serverEnv };
  } else {
    const db = await freshBenchDatabase('porch_crash', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    adminSql = db.sql;
    rooms = await seedRooms(db.sql, ROOMS, PER_ROOM);
    env = { DATABASE_URL: db.url, ...serverEnv };
  }
  /** Every room as stored, read straight from the database (embedded: only while the server is down). */
  const readStored = async (): Promise<Map<string, Uint8Array[]>> => {
    const db = adminSql ? null : await openDatabase({ dataDir: dataDir! });
    try {
      const store = new PostgresUpdateStore(adminSql ?? db!.sql);
      return new Map(await Promise.all(rooms.map(async (r) => [r.id, await store.load(r.id)] as const)));
    } finally {
      await db?.close();
    }
  };

  console.log(`crash durability on ${embedded ? 'embedded PGlite' : 'Postgres'}: ${KILLS} kills, seed ${SEED} (CRASH_SEED=${SEED} replays the kill times)`);
  const random = seededRandom(SEED);
  server = new ServerProcess(PORT, env, [process.env.CRASH_SERVER ?? 'build/server.js']);
  const startMs: number[] = [await server.start()];

  for (const room of rooms) {
    room.members.forEach((member) => {
      writers.push({ index: writers.length, room: room.id, author: member.id, client: connectClient(server!.url, room.id, member.token), sent: [] });
    });
  }
  await until(() => writers.every((w) => w.client.provider.synced), 30_000, 'writers to sync');

  let running = true;
  const write = async (w: Writer) => {
    while (running) {
      const id = `w${w.index}-${w.sent.length}`;
      sendMessage(w.client.doc, { author: w.author, text: `crash test ${id}`, id });
      const clock = Y.getState(w.client.doc.store, w.client.doc.clientID);
      w.sent.push({ id, clock });
      const writtenAt = performance.now();
      // As fast as acks allow; while the server is away, a message every 500 ms, as a user typing offline.
      while (running && acked(w) < clock && (w.client.provider.wsconnected || performance.now() - writtenAt < OFFLINE_WRITE_MS)) await sleep(2);
    }
  };
  const writing = Promise.all(writers.map(write));

  for (let k = 1; k <= KILLS; k++) {
    const upMs = UP_MS[0] + random() * (UP_MS[1] - UP_MS[0]);
    killedAfterMs.push(Math.round(upMs));
    await sleep(upMs);
    await server.stop('SIGKILL');
    // Every ack the server sent before it died has been read once each socket saw its close.
    await until(() => writers.every((w) => !w.client.provider.wsconnected), 10_000, 'sockets to close after the kill');
    const stored = await readStored();
    for (const room of rooms) {
      const { counts, doc } = countIds(stored.get(room.id)!);
      doc.destroy();
      for (const id of writers.filter((w) => w.room === room.id).flatMap(ackedIds)) {
        checkedAfterKills++;
        const n = counts.get(id) ?? 0;
        if (n === 0) lostAfterKill.push(id);
        if (n > 1) doubledAfterKill.push(id);
      }
      for (const [id, n] of counts) if (n > 1 && !doubledAfterKill.includes(id)) doubledAfterKill.push(id);
    }
    killsDone = k;
    const acks = writers.reduce((n, w) => n + ackedIds(w).length, 0);
    startMs.push(await server.start());
    console.log(`kill ${k}/${KILLS} after ${Math.round(upMs)} ms up: ${acks} acked so far, restarted in ${Math.round(startMs.at(-1)!)} ms`);
  }

  // Let everyone catch up with the last restart, then stop writing and converge.
  await until(() => writers.every((w) => w.client.provider.synced), 30_000, 'writers to resync after the last restart');
  running = false;
  await writing;
  let converged = true;
  try {
    await until(() => writers.every((w) => acked(w) >= Y.getState(w.client.doc.store, w.client.doc.clientID)), 30_000, 'every message to be acked');
  } catch {
    converged = false;
  }
  const sent = writers.reduce((n, w) => n + w.sent.length, 0);
  const ackedTotal = writers.reduce((n, w) => n + ackedIds(w).length, 0);
  // Clients converge with each other through the server (the last fan-out may still be on its way).
  const sameAsRoom = (w: Writer, stored: Y.Doc) => listMessages(w.client.doc).map((m) => m.id).join() === listMessages(stored).map((m) => m.id).join();

  // The end state is read after one more SIGKILL: nothing acked may depend on a clean stop.
  const storedAfter = new Map<string, Y.Doc>();
  await sleep(500);
  await server.stop('SIGKILL');
  await until(() => writers.every((w) => !w.client.provider.wsconnected), 10_000, 'sockets to close after the last kill');
  let checkedAtEnd = 0;
  const lostAtEnd: string[] = [];
  const doubledAtEnd: string[] = [];
  const stored = await readStored();
  for (const room of rooms) {
    const { counts, doc } = countIds(stored.get(room.id)!);
    storedAfter.set(room.id, doc);
    for (const w of writers.filter((x) => x.room === room.id)) {
      for (const m of w.sent) {
        checkedAtEnd++;
        const n = counts.get(m.id) ?? 0;
        if (n === 0) lostAtEnd.push(m.id);
        if (n > 1) doubledAtEnd.push(m.id);
      }
    }
    for (const [id, n] of counts) if (n > 1 && !doubledAtEnd.includes(id)) doubledAtEnd.push(id);
  }
  const divergent = writers.filter((w) => !sameAsRoom(w, storedAfter.get(w.room)!)).length;

  report.figure('database', embedded ? 'embedded PGlite (DATA_DIR)' : 'Postgres');
  report.figure('seed', SEED);
  report.figure('kills', KILLS);
  report.figure('killedAfterMs', killedAfterMs);
  report.figure('restartMsMedian', Math.round([...startMs].sort((a, b) => a - b)[Math.floor(startMs.length / 2)]!));
  report.figure('writers', writers.length);
  report.figure('messagesSent', sent);
  report.figure('messagesAcked', ackedTotal);
  report.figure('ackedCheckedAfterKills', checkedAfterKills);
  report.figure('checkedAtEnd', checkedAtEnd);
  report.check(`survived ${KILLS} SIGKILLs: the server restarted each time`, startMs.length === KILLS + 1, `seed ${SEED}`);
  ackedCheck();
  report.check('no message is ever stored twice', doubledAfterKill.length === 0 && doubledAtEnd.length === 0, `${doubledAfterKill.length + doubledAtEnd.length} doubled`);
  report.check('every writer had all its messages acked after the last restart', converged, `${ackedTotal} of ${sent} acked`);
  report.check('every message sent is stored exactly once at the end', lostAtEnd.length === 0 && checkedAtEnd === sent, `${checkedAtEnd} checked, ${lostAtEnd.length} missing`);
  report.check('every client doc has the same messages in the same order as the stored room', divergent === 0, `${divergent} of ${writers.length} differ`);
  for (const doc of storedAfter.values()) doc.destroy();
} catch (err) {
  report.crashed(err);
  if (killsDone > 0) ackedCheck();
  const closes = writers.flatMap((w) => w.client.closes.slice(-1).map((c) => c.code));
  console.log(
    `writers then: ${writers.filter((w) => w.client.provider.wsconnected).length} connected, ${writers.filter((w) => w.client.provider.synced).length} synced; last close codes ${[...new Set(closes)].join(', ')}`
  );
} finally {
  for (const w of writers) w.client.destroy();
  await server?.stop('SIGKILL');
  await adminSql?.end({ timeout: 1 });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
await report.finish();
