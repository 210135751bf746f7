import { spawn, type ChildProcess } from 'node:child_process';

/** The built Porch server as a child process, so a benchmark can kill and restart it. */
export class ServerProcess {
  readonly url: string;
  #child: ChildProcess | null = null;
  readonly #env: NodeJS.ProcessEnv;

  constructor(port: number, env: NodeJS.ProcessEnv) {
    this.url = `http://127.0.0.1:${port}`;
    this.#env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env };
  }

  /** Starts it (optionally pinned to a core with taskset) and waits for /healthz. */
  async start(cpu?: number): Promise<number> {
    const started = performance.now();
    const [cmd, args] = cpu === undefined ? [process.execPath, ['build/server.js']] : ['taskset', ['-c', String(cpu), process.execPath, 'build/server.js']];
    this.#child = spawn(cmd, args, { env: this.#env, stdio: ['ignore', 'ignore', 'inherit'] });
    for (;;) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  get pid(): number | undefined {
    return this.#child?.pid;
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
