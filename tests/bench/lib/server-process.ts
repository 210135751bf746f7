import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * A server as a child process, so a benchmark can kill and restart it and read its CPU time
 * and memory from /proc. By default the built Porch server; `script` runs another one.
 */
export class ServerProcess {
  readonly url: string;
  #child: ChildProcess | null = null;
  readonly #env: NodeJS.ProcessEnv;
  readonly #args: string[];

  constructor(port: number, env: NodeJS.ProcessEnv, script: string[] = ['build/server.js']) {
    this.url = `http://127.0.0.1:${port}`;
    this.#env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env };
    this.#args = script;
  }

  /** Starts it (optionally pinned to a core with taskset, which execs: same pid) and waits for /healthz. */
  async start(cpu?: number, nodeFlags: string[] = []): Promise<number> {
    const started = performance.now();
    const nodeArgs = [...nodeFlags, ...this.#args];
    const [cmd, args] = cpu === undefined ? [process.execPath, nodeArgs] : ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]];
    this.#child = spawn(cmd, args, { env: this.#env, stdio: ['ignore', 'ignore', 'inherit'] });
    for (;;) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (this.#child.exitCode !== null) throw new Error(`${this.#args.join(' ')} exited with ${this.#child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** User + system CPU time of the process so far, in microseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
  async cpuMicros(): Promise<number> {
    const stat = await readFile(`/proc/${this.#requirePid()}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / 100;
  }

  /** Resident memory in KiB (/proc/<pid>/status VmRSS). */
  async rssKb(): Promise<number> {
    const status = await readFile(`/proc/${this.#requirePid()}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (!match) throw new Error('no VmRSS');
    return Number(match[1]);
  }

  #requirePid(): number {
    const pid = this.#child?.pid;
    if (pid === undefined || this.#child?.exitCode !== null) throw new Error('server is not running');
    return pid;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.#child = null;
  }
}
