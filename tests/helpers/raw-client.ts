import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { decodeFrame, encodeFrame } from '../../src/lib/protocol/frames';

/** Sync step 2 with an empty Yjs update (no structs, no deletions). */
const EMPTY_STEP2 = encodeFrame({ kind: 'sync-step-2', update: Y.encodeStateAsUpdate(new Y.Doc()) });

/** How a batch of frames ended: all handled (the server answered a ping after them) or a close. */
export type BatchResult = { open: true } | { open: false; code: number; reason: string };

/**
 * A bare WebSocket to /sync/:roomId with a Bearer token, for sending frames no honest
 * client would. `ready` resolves once the server greeted it (its sync step 1), i.e. the
 * room is loaded and frames are handled as they arrive; it rejects if the socket closes first.
 */
export class RawClient {
  readonly ws: WebSocket;
  readonly ready: Promise<void>;
  /** Frames received from the server. */
  received = 0;
  #closed: { code: number; reason: string } | null = null;
  readonly #closeWaiters: ((closed: { code: number; reason: string }) => void)[] = [];

  constructor(url: string, token: string) {
    this.ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    this.ws.on('error', () => {});
    this.ws.on('close', (code, reason) => {
      this.#closed = { code, reason: reason.toString() };
      for (const waiter of this.#closeWaiters.splice(0)) waiter(this.#closed);
    });
    this.ready = new Promise((resolve, reject) => {
      this.ws.on('message', (data: Buffer) => {
        this.received++;
        // The server's sync step 1, answered as y-websocket does with a step 2, here empty:
        // updates sent after it are judged as they come (SPEC 5.1).
        const decoded = decodeFrame(new Uint8Array(data));
        if (decoded.ok && decoded.frame.kind === 'sync-step-1') {
          this.ws.send(EMPTY_STEP2);
          resolve();
        }
      });
      this.onClose((c) => reject(new Error(`closed with ${c.code} ${c.reason} before the greeting`)));
    });
    // A refused socket nobody waits on is an expected outcome, not an unhandled rejection.
    this.ready.catch(() => {});
  }

  get closed(): { code: number; reason: string } | null {
    return this.#closed;
  }

  onClose(waiter: (closed: { code: number; reason: string }) => void): void {
    if (this.#closed) waiter(this.#closed);
    else this.#closeWaiters.push(waiter);
  }

  /**
   * Sends `frames` back to back (a string as a text frame), then a ping. The server handles a
   * socket's frames in order and synchronously, so its pong means every frame before it was
   * handled without closing the connection. (Except in a room whose doc is not built yet:
   * there the first frame that needs the doc waits for it, SPEC 3.)
   */
  send(frames: (Uint8Array | string)[], timeoutMs = 10_000): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return resolve({ open: false, ...this.#closed });
      const timer = setTimeout(() => reject(new Error('no pong and no close')), timeoutMs);
      const done = (result: BatchResult) => {
        clearTimeout(timer);
        this.ws.off('pong', onPong);
        resolve(result);
      };
      const onPong = () => done({ open: true });
      this.ws.on('pong', onPong);
      this.onClose((c) => done({ open: false, ...c }));
      for (const frame of frames) this.ws.send(frame, { binary: typeof frame !== 'string' });
      this.ws.ping();
    });
  }

  close(): void {
    this.ws.close();
  }
}
