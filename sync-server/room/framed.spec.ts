import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Connection } from './connection';
import { FrameLimiter } from './frame-limiter';
import { frameBinary } from './framed';

const sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
const payload = (size: number) => {
  const bytes = Buffer.alloc(size, 7);
  if (size > 0) bytes[size - 1] = 9;
  return bytes;
};

let server: WebSocketServer;
beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    // What a room's broadcast does: frames built once, written through the connection.
    const conn = new Connection(socket, { id: 'u', username: 'u' }, 'room', 'member', new FrameLimiter(200, 50));
    for (const size of sizes) conn.sendFramed(frameBinary(payload(size)));
    conn.send(new Uint8Array([1, 2, 3]));
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('frames built once (room broadcasts)', () => {
  it('reach a real WebSocket client as the same binary messages, in order with plain sends', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) reject(new Error('text frame'));
        received.push(data);
        if (received.length === sizes.length + 1) resolve();
      });
      client.on('error', reject);
    });
    client.close();
    expect(received).toEqual([...sizes.map(payload), Buffer.from([1, 2, 3])]);
  });
});
