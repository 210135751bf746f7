import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { roomTypes } from '../../src/lib/chat/schema';
import { encodeFrame } from '../../src/lib/protocol/frames';
import { seededRandom } from './seeded-random';

/**
 * Frames that must close the connection (SPEC 6, 7, 11), with the code they must get, and
 * frames that may or may not be accepted (`maybe`: a random byte flip can leave a frame valid).
 */
export type HostileKind =
  | 'empty'
  | 'text'
  | 'truncated'
  | 'varint-overflow'
  | 'huge-length'
  | 'wrong-type'
  | 'wrong-sync-type'
  | 'trailing-bytes'
  | 'gap'
  | 'rule-breaking'
  | 'deletes-others'
  | 'oversized'
  | 'garbage-update'
  | 'flipped-bytes';

export interface Hostile {
  kind: HostileKind;
  frame: Uint8Array | string;
  /** The close code it must get, or 'maybe' when the mutation may have left it valid. */
  expect: 4400 | 1009 | 'maybe';
}

/** What the fuzzer knows of the room: the server's own content, the honest clients. */
export interface FuzzContext {
  fuzzerUserId: string;
  otherUserId: string;
  /** The last state vector and document update the server sent to a fuzzing socket. */
  serverStateVector(): Uint8Array | null;
  serverUpdate(): Uint8Array | null;
  /** clientIDs of the honest clients (their awareness and their writes). */
  honestClientIds(): number[];
  maxFrameBytes: number;
}

const frame = (...parts: ((e: encoding.Encoder) => void)[]): Uint8Array => {
  const e = encoding.createEncoder();
  for (const part of parts) part(e);
  return encoding.toUint8Array(e);
};
const uint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n);
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b);
const raw = (b: ArrayLike<number>) => (e: encoding.Encoder) => encoding.writeUint8Array(e, Uint8Array.from(b));

/**
 * A grammar of y-websocket frames from one member: benign frames (valid, and changing
 * nothing another member would see) and hostile ones (mutations of them, garbage, updates
 * that break the room's write rules).
 */
export class FrameFuzzer {
  readonly #r: () => number;
  readonly #ctx: FuzzContext;
  readonly #ruleBreakers: Uint8Array[];
  readonly #gap: Uint8Array;
  #hostiles = 0;

  constructor(seed: number, ctx: FuzzContext) {
    this.#r = seededRandom(seed);
    this.#ctx = ctx;
    this.#ruleBreakers = ruleBreakingUpdates(ctx.fuzzerUserId, ctx.otherUserId, this.#r);
    this.#gap = gapUpdate(ctx.fuzzerUserId, this.#r);
  }

  #int(n: number): number {
    return Math.floor(this.#r() * n);
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)]!;
  }

  #bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.#int(256);
    return b;
  }

  #clientId(): number {
    return this.#int(2 ** 32);
  }

  /** A valid state vector: the server's, an empty one, or random clients and clocks. */
  #stateVector(): Uint8Array {
    const server = this.#ctx.serverStateVector();
    const roll = this.#int(3);
    if (roll === 0 && server) return server;
    if (roll === 1) return new Uint8Array([0]);
    const sv = new Map<number, number>();
    for (let i = this.#int(6); i > 0; i--) sv.set(this.#pick([...this.#ctx.honestClientIds(), this.#clientId()]), this.#int(2 ** (1 + this.#int(40))));
    return Y.encodeStateVector(sv);
  }

  #awarenessPayload(entries: { clientId: number; clock: number; json: string }[]): Uint8Array {
    return frame(uint(entries.length), ...entries.flatMap((e) => [uint(e.clientId), uint(e.clock), (x: encoding.Encoder) => encoding.writeVarString(x, e.json)]));
  }

  /** A frame an honest member could send, changing nothing another member would notice. */
  benign(): Uint8Array {
    switch (this.#int(7)) {
      case 0:
        return encodeFrame({ kind: 'sync-step-1', stateVector: this.#stateVector() });
      case 1: {
        // A resend of what the server has: a no-op, acked (SPEC 7: known structs are skipped).
        const update = this.#ctx.serverUpdate() ?? Y.encodeStateAsUpdate(new Y.Doc());
        return encodeFrame({ kind: this.#pick(['sync-step-2', 'update'] as const), update });
      }
      case 2: {
        // Presence for a clientID of its own, with its own user id, or leaving (null).
        const state = this.#r() < 0.2 ? 'null' : JSON.stringify({ user: { id: this.#ctx.fuzzerUserId, name: 'fuzz', color: '#123456' }, typing: this.#r() < 0.5, active: false, n: this.#int(1e6) });
        return encodeFrame({ kind: 'awareness', update: this.#awarenessPayload([{ clientId: this.#clientId(), clock: this.#int(1000), json: state }]) });
      }
      case 3: {
        // Presence that must be dropped silently (SPEC 6): honest clients' clientIDs, another
        // user's id, JSON that does not parse.
        const target = this.#pick([...this.#ctx.honestClientIds(), this.#clientId()]);
        const json = this.#pick([
          JSON.stringify({ user: { id: this.#ctx.otherUserId, name: 'impostor' } }),
          JSON.stringify({ user: { id: this.#ctx.fuzzerUserId } }),
          '{"user":',
          '[]',
          '"x"'
        ]);
        return encodeFrame({ kind: 'awareness', update: this.#awarenessPayload([{ clientId: target, clock: this.#int(1e9), json }]) });
      }
      case 4:
        return encodeFrame({ kind: 'query-awareness' });
      case 5:
        return frame(uint(2), raw(this.#bytes(this.#int(8))));
      default:
        return encodeFrame({ kind: 'sync-step-1', stateVector: new Uint8Array([0]) });
    }
  }

  /** A frame that must (or may) close the connection. */
  hostile(): Hostile {
    const kinds: HostileKind[] = [
      'empty',
      'text',
      'truncated',
      'varint-overflow',
      'huge-length',
      'wrong-type',
      'wrong-sync-type',
      'trailing-bytes',
      'gap',
      'rule-breaking',
      'deletes-others',
      'garbage-update',
      'flipped-bytes'
    ];
    // Oversized frames cost a MiB each: one in 400, the first one included.
    const kind: HostileKind = this.#hostiles++ % 400 === 0 ? 'oversized' : this.#pick(kinds);
    const must = (f: Uint8Array | string): Hostile => ({ kind, frame: f, expect: 4400 });
    switch (kind) {
      case 'empty':
        return must(new Uint8Array(0));
      case 'text':
        return must(this.#pick(['', '\u0000', '{"type":0}', 'AAEC', String.fromCharCode(...this.#bytes(12).map((b) => 32 + (b % 90)))]));
      case 'truncated': {
        let f = this.benign();
        // Type 2 (auth) and 3 (query) are read no further than their type: grow them first.
        if (f[0] === 2 || f[0] === 3) f = encodeFrame({ kind: 'sync-step-1', stateVector: this.#stateVector() });
        return must(f.slice(0, this.#int(f.length)));
      }
      case 'varint-overflow': {
        // More than 53 bits, in the type or in a length; or a varint that never ends.
        const endless = new Array<number>(1 + this.#int(12)).fill(0xff);
        const big = [...new Array<number>(8 + this.#int(4)).fill(0xff), 0x7f];
        return must(this.#pick([frame(raw(big)), frame(uint(0), raw(big)), frame(uint(0), uint(0), raw(big)), frame(uint(1), raw(endless)), frame(raw(endless))]));
      }
      case 'huge-length': {
        const declared = this.#pick([2 ** 31, 2 ** 32 + 5, 2 ** 52, this.#ctx.maxFrameBytes * 4, 1000 + this.#int(1e6)]);
        return must(frame(uint(this.#pick([0, 1])), ...(this.#r() < 0.5 ? [uint(this.#int(3))] : []), uint(declared), raw(this.#bytes(this.#int(16)))));
      }
      case 'wrong-type':
        return must(frame(uint(this.#pick([4, 5, 99, 100, 101, 127, 128, 255, 2 ** 20, this.#int(2 ** 31) + 4])), raw(this.#bytes(this.#int(8)))));
      case 'wrong-sync-type':
        return must(frame(uint(0), uint(3 + this.#int(300)), bytes(this.#bytes(this.#int(8)))));
      case 'trailing-bytes': {
        let f = this.benign();
        // Only sync (0) and awareness (1) frames have an end to check.
        while (f[0] !== 0 && f[0] !== 1) f = this.benign();
        return must(frame(raw(f), raw(this.#bytes(1 + this.#int(8)))));
      }
      case 'gap':
        return must(encodeFrame({ kind: 'update', update: this.#gap }));
      case 'rule-breaking':
        return must(encodeFrame({ kind: this.#pick(['sync-step-2', 'update'] as const), update: this.#pick(this.#ruleBreakers) }));
      case 'deletes-others': {
        // A member deleting what honest clients wrote (SPEC 7.7), or what the server never had.
        const ds = frame(uint(0), uint(1), uint(this.#pick(this.#ctx.honestClientIds())), uint(1), uint(this.#int(4)), uint(1 + this.#int(3)));
        return must(encodeFrame({ kind: 'update', update: ds }));
      }
      case 'oversized':
        return { kind, frame: encodeFrame({ kind: 'update', update: new Uint8Array(this.#ctx.maxFrameBytes) }), expect: 1009 };
      case 'garbage-update':
        return { kind, frame: encodeFrame({ kind: this.#pick(['sync-step-2', 'update'] as const), update: this.#bytes(this.#int(64)) }), expect: 'maybe' };
      case 'flipped-bytes': {
        const f = this.benign().slice();
        for (let i = 1 + this.#int(3); i > 0; i--) f[this.#int(f.length)] = this.#int(256);
        return { kind, frame: f, expect: 'maybe' };
      }
      default:
        throw new Error(`unexpected kind ${(kind satisfies never) as string}`);
    }
  }
}

/** Updates from the fuzzing member that each break one write rule (SPEC 7.2-7.6); none depends on anything. */
function ruleBreakingUpdates(me: string, other: string, r: () => number): Uint8Array[] {
  const make = (change: (doc: Y.Doc) => void): Uint8Array => {
    const doc = new Y.Doc();
    doc.clientID = Math.floor(r() * 2 ** 31);
    change(doc);
    return Y.encodeStateAsUpdate(doc);
  };
  const message = (fields: Record<string, unknown>) => (doc: Y.Doc) => roomTypes(doc).messages.insert(0, [{ id: 'fuzz1', author: me, text: 'x', ts: Date.now(), ...fields }]);
  return [
    make(message({ author: other })), // 7.3 someone else's name
    make(message({ text: '   ' })), // 7.3 blank
    make(message({ text: 'x'.repeat(4001) })), // 7.3 too long
    make(message({ ts: Date.UTC(2019, 0, 1) })), // 7.3 too early
    make(message({ ts: Date.now() + 3_600_000 })), // 7.3 from the future
    make(message({ id: 'not an id!' })), // 7.3 bad id
    make(message({ extra: true })), // 7.3 unknown field
    make((doc) => roomTypes(doc).reads.set(other, { id: 'fuzz1', ts: Date.now() })), // 7.6 someone else's read marker
    make((doc) => roomTypes(doc).reactions.set(`m1|👍|${other}`, Date.now())), // 7.5 someone else's reaction
    make((doc) => roomTypes(doc).edits.set('no-such-message', { text: 'edited', ts: Date.now() })), // 7.4 unknown message
    make((doc) => doc.getMap('evil').set('k', 1)), // 7.2 unknown top-level type
    make((doc) => doc.getArray<unknown>('messages').insert(0, [new Y.Map()])) // 7.2 nested type
  ];
}

/** The second of two messages from one new client: the server lacks the first (a gap). */
function gapUpdate(me: string, r: () => number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = Math.floor(r() * 2 ** 31);
  sendMessage(doc, { author: me, text: 'first' });
  const before = Y.encodeStateVector(doc);
  sendMessage(doc, { author: me, text: 'second' });
  return Y.encodeStateAsUpdate(doc, before);
}
