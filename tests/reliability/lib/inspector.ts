import { WebSocket } from 'ws';

/**
 * The memory of a process started with `--inspect=127.0.0.1:<port>` (process.memoryUsage()),
 * measured right after a full garbage collection (DevTools protocol: HeapProfiler.collectGarbage).
 * RSS alone cannot tell a leak from memory V8 has not handed back yet.
 */
export async function memoryAfterGc(inspectPort: number): Promise<{ heapUsed: number; rss: number; external: number; arrayBuffers: number }> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('no inspector target');
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (reply.id !== id) return;
        ws.off('message', onMessage);
        if (reply.error) reject(new Error(reply.error.message));
        else resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    return JSON.parse((usage.result as { value: string }).value) as { heapUsed: number; rss: number; external: number; arrayBuffers: number };
  } finally {
    ws.close();
  }
}
