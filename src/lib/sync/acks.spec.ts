import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import { encodeFrame } from '$lib/protocol/frames';
import { listenForAcks, restoreAcks, saveAcks, type AckStore } from './acks';
import { AckTracker } from './delivery';

const providers: WebsocketProvider[] = [];
afterEach(() => {
  for (const provider of providers.splice(0)) provider.destroy();
});

/** A provider that is never connected: frames are handed to it as its socket would. */
function provider(room = 'room-1'): WebsocketProvider {
  const made = new WebsocketProvider('ws://127.0.0.1:9', room, new Y.Doc(), {
    connect: false,
    // Node 20 has no WebSocket of its own; this one is never opened.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket
  });
  made.bcChannel = `${made.bcChannel}#user-1`;
  providers.push(made);
  return made;
}

/** What y-websocket does with a frame: the type, then that type's handler; returns its answer. */
function deliver(to: WebsocketProvider, frame: Uint8Array, fromSocket: boolean): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  const encoder = encoding.createEncoder();
  const type = decoding.readVarUint(decoder);
  to.messageHandlers[type]!(encoder, decoder, to, fromSocket, type);
  return encoding.toUint8Array(encoder);
}

function listening(to: WebsocketProvider): { tracker: AckTracker; moved: () => number } {
  const tracker = new AckTracker();
  let moved = 0;
  listenForAcks(to, tracker, () => moved++);
  return { tracker, moved: () => moved };
}

describe('listenForAcks (SPEC 9)', () => {
  it('marks what the server acks, and only a forward move counts', () => {
    const p = provider();
    const { tracker, moved } = listening(p);
    deliver(p, encodeFrame({ kind: 'ack', client: 7, clock: 3 }), true);
    expect(tracker.isAcked(7, 2)).toBe(true);
    expect(tracker.isAcked(7, 3)).toBe(false);
    deliver(p, encodeFrame({ kind: 'ack', client: 7, clock: 2 }), true);
    expect(moved()).toBe(1);
  });

  it("tells the room's other tabs of an ack from the socket", () => {
    const holder = provider();
    const other = provider();
    other.connectBc();
    const { tracker } = listening(other);
    listening(holder);
    deliver(holder, encodeFrame({ kind: 'ack', client: 7, clock: 5 }), true);
    expect(tracker.ackedClock(7)).toBe(5);
  });

  it("takes the server's sync step 1 as durable state, not another tab's, and the sync still answers it", () => {
    const p = provider();
    const { tracker } = listening(p);
    const source = new Y.Doc();
    source.getArray('messages').push(['hello']);
    const step1 = encodeFrame({ kind: 'sync-step-1', stateVector: Y.encodeStateVector(source) });

    deliver(p, step1, false);
    expect(tracker.ackedClock(source.clientID)).toBe(0);
    const answer = deliver(p, step1, true);
    expect(tracker.ackedClock(source.clientID)).toBe(1);
    // The sync handler read the whole frame too: it answered with its step 2.
    expect(answer.length).toBeGreaterThan(0);
  });
});

describe('restoreAcks / saveAcks', () => {
  function store(): AckStore & { values: Map<string, string> } {
    const values = new Map<string, string>();
    return {
      values,
      get: (key) => Promise.resolve(values.get(key)),
      set: (key, value) => Promise.resolve(values.set(key, value))
    };
  }

  it('a sent message stays sent across page loads', async () => {
    const kept = store();
    const before = new AckTracker();
    before.markAcked(7, 4);
    saveAcks(before, kept);
    await Promise.resolve();
    const after = new AckTracker();
    await restoreAcks(after, kept);
    expect(after.ackedClock(7)).toBe(4);
  });

  it('unreadable saved acks restore nothing, without throwing', async () => {
    const kept = store();
    kept.values.set('acks', '{not json');
    const tracker = new AckTracker();
    await restoreAcks(tracker, kept);
    expect(tracker.toJSON()).toEqual([]);
  });
});
