import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../../src/lib/protocol/frames';

/**
 * A WebSocket client that speaks just enough of the y-websocket protocol for load tests:
 * on open it sends sync step 1 with an empty state vector, then it counts incoming updates
 * (sync message 0/2) as deliveries. A full provider per client would not fit 1,000+
 * clients on one core.
 *
 * Hocuspocus frames the same messages with the document name (varString) first and
 * waits for an auth message (type 2, subtype 0 = token, varString token) per document
 * before it handles anything else, even with no onAuthenticate hook
 * (@hocuspocus/server 3.x, ClientConnection.handleQueueingMessage).
 */
export type Framing = 'y-websocket' | 'hocuspocus';

export interface RawClientOptions {
  url: string;
  framing: Framing;
  /** Bearer token (Porch). */
  token?: string;
  /** Hocuspocus document name. */
  docName?: string;
  /** Called with every incoming update (sync 0/2), for latency probes. */
  onUpdate?: (update: Uint8Array) => void;
  /** Porch's durable ack (message 100: clientID, clock). */
  onAck?: (client: number, clock: number) => void;
  /** The state vector sync step 1 carries (default: empty, i.e. "send me everything"). */
  stateVector?: Uint8Array;
}

/** Hocuspocus's auth message type (its own protocol, not Porch's frames). */
const HOCUSPOCUS_AUTH = 2;

export class RawClient {
  readonly ws: WebSocket;
  /** Updates received (sync 0/2). */
  deliveries = 0;
  /** Resolves once the server answered our sync step 1 with step 2. */
  readonly synced: Promise<void>;
  closed: { code: number; reason: string } | null = null;
  readonly #prefix: Uint8Array;
  readonly #onUpdate: ((update: Uint8Array) => void) | undefined;
  readonly #onAck: ((client: number, clock: number) => void) | undefined;

  constructor(options: RawClientOptions) {
    this.#onUpdate = options.onUpdate;
    this.#onAck = options.onAck;
    this.#prefix = new Uint8Array(0);
    if (options.framing === 'hocuspocus') {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, options.docName ?? '');
      this.#prefix = encoding.toUint8Array(e);
    }
    this.ws = new WebSocket(options.url, {
      perMessageDeflate: false,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {}
    });
    this.ws.binaryType = 'nodebuffer';
    let resolveSynced!: () => void;
    let rejectSynced!: (err: Error) => void;
    this.synced = new Promise((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    });
    // Awaited by connectAll; a late rejection (closed after syncing) is not an error.
    this.synced.catch(() => {});
    this.ws.on('open', () => {
      if (options.framing === 'hocuspocus') {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, HOCUSPOCUS_AUTH);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, options.token ?? '');
        this.#send(encoding.toUint8Array(e));
      }
      this.#send(encodeFrame({ kind: 'sync-step-1', stateVector: options.stateVector ?? Uint8Array.of(0) }));
    });
    this.ws.on('message', (data: Buffer) => {
      let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (this.#prefix.length > 0) {
        const decoder = decoding.createDecoder(bytes);
        const nameLength = decoding.readVarUint(decoder);
        bytes = bytes.subarray(decoder.pos + nameLength);
      }
      const decoded = decodeFrame(bytes);
      if (!decoded.ok) return;
      const { frame } = decoded;
      if (frame.kind === 'ack') this.#onAck?.(frame.client, frame.clock);
      else if (frame.kind === 'update') {
        this.deliveries++;
        this.#onUpdate?.(frame.update);
      } else if (frame.kind === 'sync-step-2') resolveSynced();
    });
    this.ws.on('error', (err) => rejectSynced(err));
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      rejectSynced(new Error(`closed ${code} ${reason.toString()}`));
    });
  }

  /** Sends a Yjs update as sync message 0/2. */
  sendUpdate(update: Uint8Array): void {
    this.#send(encodeFrame({ kind: 'update', update }));
  }

  #send(body: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.#prefix.length === 0) return this.ws.send(body);
    const framed = new Uint8Array(this.#prefix.length + body.length);
    framed.set(this.#prefix);
    framed.set(body, this.#prefix.length);
    this.ws.send(framed);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens clients with at most `concurrency` handshakes in flight; resolves when all are synced. */
export async function connectAll(make: (() => RawClient)[], concurrency = 100, timeoutMs = 120_000): Promise<RawClient[]> {
  const clients: RawClient[] = new Array<RawClient>(make.length);
  let next = 0;
  const deadline = performance.now() + timeoutMs;
  const worker = async () => {
    while (next < make.length) {
      const i = next++;
      const client = make[i]!();
      clients[i] = client;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`client ${i} did not sync`)), Math.max(0, deadline - performance.now()));
      });
      try {
        await Promise.race([client.synced, timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, make.length) }, worker));
  } catch (err) {
    for (const c of clients) c?.close();
    throw err;
  }
  return clients;
}
