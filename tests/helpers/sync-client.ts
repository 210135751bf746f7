import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, readAck } from '../../src/lib/protocol/frames';

/** A WebSocket class that authenticates with a Bearer token, as a non-browser client does. */
export function bearerSocket(token: string | null): typeof globalThis.WebSocket {
  class BearerWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    }
  }
  return BearerWebSocket as unknown as typeof globalThis.WebSocket;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Acked clock per clientID, from message type 100. */
  acks: Map<number, number>;
  /** Close events seen, newest last. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** The official y-websocket client, in Node, against our server. */
export function connectClient(baseUrl: string, roomId: string, token: string | null, doc = new Y.Doc()): TestClient {
  const acks = new Map<number, number>();
  const closes: { code: number; reason: string }[] = [];
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', roomId, doc, {
    WebSocketPolyfill: bearerSocket(token),
    disableBc: true,
    connect: false
  });
  provider.messageHandlers[MessageType.Ack] = (_encoder, decoder) => {
    const { client, clock } = readAck(decoder);
    acks.set(client, Math.max(acks.get(client) ?? 0, clock));
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  provider.connect();
  return {
    doc,
    provider,
    acks,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    }
  };
}

/** Polls `predicate` until true or `timeoutMs` passes. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Opens a raw socket and resolves with the close event it gets. */
export function closeCodeOf(url: string, token: string | null, send?: (ws: WebSocket) => void): Promise<{ code: number; reason: string; received: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    let received = 0;
    ws.on('message', () => received++);
    ws.on('open', () => send?.(ws));
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), received }));
    setTimeout(() => reject(new Error('socket was not closed')), 10_000).unref();
  });
}
