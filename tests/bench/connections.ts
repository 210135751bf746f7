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

async function connectionsOnce(contender: Contender, setup: ConnectionsSetup): Promise<ConnectionsRun> {
  const roomCount = Math.ceil(setup.clients / setup.perRoom);
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
  members = members.slice(0, setup.clients);
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
    .map((contender) => ({ contender, clients: setup.clients, runs: [], median: {} as ConnectionsRun }));
  pinSelf(LOADGEN_CPU);
  try {
    for (let run = 0; run < setup.runs; run++) {
      for (const row of rows) {
        const result = await connectionsOnce(row.contender, setup);
        console.log(`connections ${row.contender.name} ×${setup.clients} run ${run + 1}:`, result);
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
