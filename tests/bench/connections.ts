import { readFileSync } from 'node:fs';
import type { Sql } from 'postgres';
import { freshBenchDatabase, seedRooms } from './lib/bench-database';
import { benchPort, contenders, LOADGEN_CPU, SERVER_CPU, type Contender, type ContenderName } from './lib/contenders';
import { connectAll, RawClient } from './lib/raw-client';
import { median, pinSelf, sleep } from './lib/stats';

/**
 * Idle connections: the server's resident memory (VmRSS) before and after `clients` raw
 * WebSocket clients, in rooms of `perRoom`, have connected (authenticated, for Porch with
 * each member's own session) and finished the sync handshake, divided by the clients.
 * RSS is read after `settleMs`, without forcing a GC, so it includes garbage the
 * handshakes left behind, for every server alike.
 */
export interface ConnectionsSetup {
  /** Asked for; fewer when one process may not open that many files (`clientsFor`). */
  clients: number;
  perRoom: number;
  settleMs: number;
  runs: number;
  /** Only these servers (default: all). */
  only?: ContenderName[];
}

export interface ConnectionsRun {
  held: number;
  kibPerConnection: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  connectSeconds: number;
}

export interface ConnectionsRow {
  contender: Contender;
  clients: number;
  runs: ConnectionsRun[];
  median: ConnectionsRun;
}

/**
 * Descriptors a process needs besides its sockets: the server's database pool (10), its
 * pipes, eventfds and epoll (~22 when idle); this load generator's own database pool and pipes.
 */
const OTHER_FILES = 64;

/**
 * The open-file limit (RLIMIT_NOFILE) of this process, which the server inherits. Both hold
 * one descriptor per connection, so it caps the clients; only the hard limit's owner (root
 * with CAP_SYS_RESOURCE) can raise it, not a benchmark.
 */
export function openFileLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** The clients a setup gets: as many as asked, or as many as the open-file limit lets both processes hold. */
export function clientsFor(setup: ConnectionsSetup): number {
  return Math.min(setup.clients, openFileLimit() - OTHER_FILES);
}

async function connectionsOnce(contender: Contender, setup: ConnectionsSetup): Promise<ConnectionsRun> {
  const clientCount = clientsFor(setup);
  const roomCount = Math.ceil(clientCount / setup.perRoom);
  let sql: Sql | null = null;
  let databaseUrl: string | undefined;
  let members: { roomId: string; token?: string }[];
  if (contender.needsDatabase) {
    const db = await freshBenchDatabase();
    sql = db.sql;
    databaseUrl = db.url;
    const rooms = await seedRooms(db.sql, roomCount, setup.perRoom);
    members = rooms.flatMap((room) => room.members.map((m) => ({ roomId: room.id, token: m.token })));
  } else {
    const tag = Math.random().toString(36).slice(2, 8);
    members = Array.from({ length: roomCount * setup.perRoom }, (_, i) => ({ roomId: `idle-${tag}-${Math.floor(i / setup.perRoom)}` }));
  }
  members = members.slice(0, clientCount);
  const server = contender.server(benchPort(), databaseUrl);
  await server.start(SERVER_CPU);
  await sleep(setup.settleMs);
  const before = await server.rssKb();
  const started = performance.now();
  const clients = await connectAll(
    members.map(
      (m) => () =>
        new RawClient({ url: contender.roomUrl(server, m.roomId), framing: contender.framing, token: m.token, docName: m.roomId })
    ),
    50
  );
  const connectSeconds = (performance.now() - started) / 1000;
  await sleep(setup.settleMs);
  const after = await server.rssKb();
  const held = clients.filter((c) => !c.closed).length;
  await server.stop();
  for (const c of clients) c.close();
  await sql?.end();
  return {
    held,
    kibPerConnection: (after - before) / clients.length,
    rssBeforeMb: before / 1024,
    rssAfterMb: after / 1024,
    connectSeconds
  };
}

/** Every contender `setup.runs` times, interleaved. */
export async function idleConnections(setup: ConnectionsSetup): Promise<ConnectionsRow[]> {
  const rows: ConnectionsRow[] = contenders
    .filter((c) => !setup.only || setup.only.includes(c.name))
    .map((contender) => ({ contender, clients: clientsFor(setup), runs: [], median: {} as ConnectionsRun }));
  pinSelf(LOADGEN_CPU);
  try {
    for (let run = 0; run < setup.runs; run++) {
      for (const row of rows) {
        const result = await connectionsOnce(row.contender, setup);
        console.log(`connections ${row.contender.name} ×${row.clients} run ${run + 1}:`, result);
        row.runs.push(result);
      }
    }
  } finally {
    pinSelf(null);
  }
  for (const row of rows) {
    const keys = Object.keys(row.runs[0]!) as (keyof ConnectionsRun)[];
    row.median = Object.fromEntries(keys.map((k) => [k, median(row.runs.map((r) => r[k]))])) as unknown as ConnectionsRun;
  }
  return rows;
}
