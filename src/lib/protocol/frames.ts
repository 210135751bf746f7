import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The sync protocol's frames (SPEC 4-9): y-websocket's messages plus Porch's durable ack,
 * one tagged union with one decode and one encode, shared by the server, the browser and
 * the tests. A frame is exactly one message: bytes after a sync or awareness payload make
 * it malformed, never ignored.
 */

/** The first varUint of a frame. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Server -> client: `varUint clientID, varUint clock`, all lower clocks are durable. */
  Ack: 100
} as const;

/** The second varUint of a sync frame (y-protocols/sync). */
const SyncKind = { Step1: 0, Step2: 1, Update: 2 } as const;

export type Frame =
  /** The sender's state vector: "send me what I lack". */
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  /** The answer to a step 1: a Yjs update with what the other side lacks. */
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  /** A y-protocols awareness update. */
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  /** y-websocket's auth message; clients have nothing to say with it (authorisation is at connect). */
  | { kind: 'auth' }
  /** SPEC 9: every struct of `client` with a clock below `clock` is durable. */
  | { kind: 'ack'; client: number; clock: number };

export type FrameKind = Frame['kind'];

export type DecodedFrame = { ok: true; frame: Frame } | { ok: false; reason: string };

/** Reads the frame in `bytes`; a malformed one is a value with the reason, not a throw. */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        return readSync(decoder);
      case MessageType.Awareness:
        return { ok: true, frame: { kind: 'awareness', update: readLastPayload(decoder) } };
      case MessageType.QueryAwareness:
        return { ok: true, frame: { kind: 'query-awareness' } };
      case MessageType.Auth:
        return { ok: true, frame: { kind: 'auth' } };
      case MessageType.Ack:
        return { ok: true, frame: readAck(decoder) };
      default:
        return { ok: false, reason: `Unknown message type ${type}` };
    }
  } catch {
    return { ok: false, reason: 'Malformed message' };
  }
}

function readSync(decoder: decoding.Decoder): DecodedFrame {
  const kind = decoding.readVarUint(decoder);
  switch (kind) {
    case SyncKind.Step1:
      return { ok: true, frame: { kind: 'sync-step-1', stateVector: readLastPayload(decoder) } };
    case SyncKind.Step2:
      return { ok: true, frame: { kind: 'sync-step-2', update: readLastPayload(decoder) } };
    case SyncKind.Update:
      return { ok: true, frame: { kind: 'update', update: readLastPayload(decoder) } };
    default:
      return { ok: false, reason: `Unknown sync message ${kind}` };
  }
}

/**
 * The body of an ack, after its type: also what y-websocket's message handlers in the
 * browser get (a decoder past the type).
 */
export function readAck(decoder: decoding.Decoder): Extract<Frame, { kind: 'ack' }> {
  const client = decoding.readVarUint(decoder);
  const clock = decoding.readVarUint(decoder);
  return { kind: 'ack', client, clock };
}

/** Reads the payload that ends a frame; bytes after it throw (a malformed frame). */
function readLastPayload(decoder: decoding.Decoder): Uint8Array {
  const payload = decoding.readVarUint8Array(decoder);
  if (decoding.hasContent(decoder)) throw new Error('Trailing bytes after the message');
  return payload;
}

/** The bytes of `frame`. */
export function encodeFrame(frame: Frame): Uint8Array {
  const encoder = encoding.createEncoder();
  switch (frame.kind) {
    case 'sync-step-1':
      writeSync(encoder, SyncKind.Step1, frame.stateVector);
      break;
    case 'sync-step-2':
      writeSync(encoder, SyncKind.Step2, frame.update);
      break;
    case 'update':
      writeSync(encoder, SyncKind.Update, frame.update);
      break;
    case 'awareness':
      encoding.writeVarUint(encoder, MessageType.Awareness);
      encoding.writeVarUint8Array(encoder, frame.update);
      break;
    case 'query-awareness':
      encoding.writeVarUint(encoder, MessageType.QueryAwareness);
      break;
    case 'auth':
      // y-protocols/auth: "permission denied" with no reason; no Porch side sends it.
      encoding.writeVarUint(encoder, MessageType.Auth);
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, '');
      break;
    case 'ack':
      encoding.writeVarUint(encoder, MessageType.Ack);
      encoding.writeVarUint(encoder, frame.client);
      encoding.writeVarUint(encoder, frame.clock);
      break;
    default:
      throw new Error(`unknown frame ${(frame satisfies never) as string}`);
  }
  return encoding.toUint8Array(encoder);
}

function writeSync(encoder: encoding.Encoder, kind: number, payload: Uint8Array): void {
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
}
