import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Porch server of the test's own, so it can be killed and restarted mid-test. */
export interface PrivateServer {
  url: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** `env` overrides the server's environment (e.g. DATABASE_URL through a proxy the test can cut). */
export async function privateServer(port: number, env: NodeJS.ProcessEnv = {}): Promise<PrivateServer> {
  // Embedded: its own data folder, kept across restarts. With DATABASE_URL: the shared one.
  const dataDir = mkdtempSync(join(tmpdir(), 'porch-private-'));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(process.execPath, ['build/server.js'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'inherit', 'inherit']
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('private server did not start');
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
    child = null;
  };

  await start();
  return { url, kill, start };
}
