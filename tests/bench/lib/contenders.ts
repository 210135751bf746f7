import type { Framing } from './raw-client';
import { ServerProcess } from './server-process';

/** The servers compared side by side, and the floor (a relay that does nothing else). */
export type ContenderName = 'porch' | 'y-websocket' | 'hocuspocus' | 'bare-relay';

export interface Contender {
  name: ContenderName;
  /** Row label in docs/benchmarks.md. */
  label: string;
  framing: Framing;
  /** Needs a seeded porch_bench database and Bearer tokens. */
  needsDatabase: boolean;
  server(port: number, databaseUrl?: string): ServerProcess;
  /** The WebSocket URL of a room. */
  roomUrl(server: ServerProcess, roomId: string): string;
}

/**
 * Porch's environment in the benchmarks: one load-generator writer stands for a whole busy
 * room (up to thousands of messages a second), far above what Porch allows one person's
 * connection (SYNC_RATE_*, close 4429).
 */
export const PORCH_BENCH_ENV = { SYNC_RATE_BURST: '1000000', SYNC_RATE_PER_SECOND: '1000000' };

/** Porch on `databaseUrl`, as the benchmarks run it; BENCH_PORCH_SERVER: another build (e.g. of an older commit) to compare. */
export function porchProcess(port: number, databaseUrl: string | undefined, env: NodeJS.ProcessEnv = {}): ServerProcess {
  return new ServerProcess(port, { ...PORCH_BENCH_ENV, DATABASE_URL: databaseUrl, ...env }, [process.env.BENCH_PORCH_SERVER ?? 'build/server.js']);
}

const ws = (server: ServerProcess) => server.url.replace(/^http/, 'ws');

export const contenders: Contender[] = [
  {
    name: 'porch',
    label: 'Porch (sessions, write rules, Postgres log)',
    framing: 'y-websocket',
    needsDatabase: true,
    server: (port, databaseUrl) => porchProcess(port, databaseUrl),
    roomUrl: (server, roomId) => `${ws(server)}/sync/${roomId}`
  },
  {
    name: 'y-websocket',
    label: 'y-websocket 2.1.0 reference server (in memory)',
    framing: 'y-websocket',
    needsDatabase: false,
    server: (port) => new ServerProcess(port, {}, ['node_modules/y-websocket-server-ref/bin/server.cjs']),
    roomUrl: (server, roomId) => `${ws(server)}/${roomId}`
  },
  {
    name: 'hocuspocus',
    label: 'Hocuspocus 3.4.4 (in memory)',
    framing: 'hocuspocus',
    needsDatabase: false,
    server: (port) => new ServerProcess(port, {}, ['tests/bench/servers/hocuspocus.mjs']),
    roomUrl: (server) => `${ws(server)}/`
  },
  {
    name: 'bare-relay',
    label: 'bare relay (floor: frame once, same bytes to every socket; no document)',
    framing: 'y-websocket',
    needsDatabase: false,
    server: (port) => new ServerProcess(port, {}, ['tests/bench/servers/bare-relay.mjs']),
    roomUrl: (server, roomId) => `${ws(server)}/${roomId}`
  }
];

/** Core the servers run on; the load generator (this process) takes the other one. */
export const SERVER_CPU = 1;
export const LOADGEN_CPU = '0';

/**
 * Ports for the benchmarks (other suites use 3200-3299, 4173, 4300-4399): 92 from
 * BENCH_PORT_BASE (4400), so that two benchmark runs can share a machine. benchPort()
 * hands out the first 90; the two after them are fixed ones.
 */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 4400);
/** The reconnect storm's server: it comes back on the port its clients know. */
export const STORM_PORT = PORT_BASE + 90;
/** The built app the client benchmarks load in Chromium. */
export const CLIENT_APP_PORT = PORT_BASE + 91;
let nextPort = PORT_BASE;
export function benchPort(): number {
  // A fresh port per server start: the previous run's sockets may sit in TIME_WAIT.
  const port = nextPort;
  nextPort = nextPort >= PORT_BASE + 89 ? PORT_BASE : nextPort + 1;
  return port;
}
