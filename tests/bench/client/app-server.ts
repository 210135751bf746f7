import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { connectClient, waitFor } from '../../helpers/sync-client';
import { ServerProcess } from '../lib/server-process';

/** The built app (`build/server.js`) on its own embedded database, with one member and one long room. */
export interface SeededApp {
  server: ServerProcess;
  url: string;
  token: string;
  roomId: string;
  roomName: string;
  /** Text of the room's newest message. */
  newestText: string;
  stop(): Promise<void>;
}

const BATCH = 500;

/** A JSON POST to the app's API, as Bearer `token` if given; throws on a refusal. */
export async function api<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Starts the built server and fills a room with `messages` messages through the sync protocol
 * (batches of 500 per update, each batch waited for until the server's durable ack).
 */
export async function seededApp(port: number, messages: number): Promise<SeededApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'porch-clientbench-'));
  const server = new ServerProcess(port, { DATA_DIR: dataDir, DATABASE_URL: '' });
  await server.start();
  const url = server.url;
  const { user, token } = await api<{ user: { id: string }; token: string }>(url, '/api/auth/register', {
    username: `bench${Date.now().toString(36)}`,
    password: 'correct horse battery'
  });
  const roomName = 'Long history';
  const { room } = await api<{ room: { id: string } }>(url, '/api/rooms', { name: roomName }, token);
  const client = connectClient(url, room.id, token);
  try {
    await waitFor(() => client.provider.synced, 30_000, 'first sync');
    const start = Date.now() - messages * 1000;
    for (let from = 0; from < messages; from += BATCH) {
      client.doc.transact(() => {
        for (let i = from; i < Math.min(messages, from + BATCH); i++) {
          sendMessage(client.doc, { author: user.id, text: `bench message ${i}`, ts: start + i * 1000, id: `m${i}` });
        }
      });
      const clock = Y.getState(client.doc.store, client.doc.clientID);
      await waitFor(() => (client.acks.get(client.doc.clientID) ?? 0) >= clock, 60_000, 'durable ack');
    }
  } finally {
    client.destroy();
  }
  return {
    server,
    url,
    token,
    roomId: room.id,
    roomName,
    newestText: `bench message ${messages - 1}`,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  };
}
