import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { roomTypes, type ChatMessage } from '../../../src/lib/chat/schema';
import { median, quantile } from '../lib/stats';
import { roomDoc, TEXT } from './room-fixture';

/**
 * Cost of one own message append on a long room document, through the app's send path
 * (`sendMessage`). Quiet: the client appends with nothing arriving in between. Busy: before
 * each own append, `remotePerAppend` messages written by other members arrive as remote
 * updates (`Y.applyUpdate`, as the WebsocketProvider does), so Yjs drops its search markers
 * each time (a remote transaction invalidates them) — that is where a naive
 * `insert(length)` starts walking the whole list again.
 */
export interface AppendSetup {
  messages: number;
  appends: number;
  remotePerAppend: number;
}

export interface AppendRow {
  setup: AppendSetup;
  way: string;
  medianMs: number;
  p99Ms: number;
}

type Append = (doc: Y.Doc, author: string, text: string) => void;

/** The ways of appending compared: the app's own first. */
export const appendWays: { name: string; append: Append }[] = [
  { name: 'sendMessage (the app)', append: (doc, author, text) => void sendMessage(doc, { author, text }) },
  {
    name: 'insert(length, …) alone',
    append: (doc, author, text) => {
      const { messages } = roomTypes(doc);
      messages.insert(messages.length, [{ id: crypto.randomUUID(), author, text, ts: Date.now() } satisfies ChatMessage]);
    }
  },
  {
    name: 'Y.Array.push',
    append: (doc, author, text) => roomTypes(doc).messages.push([{ id: crypto.randomUUID(), author, text, ts: Date.now() } satisfies ChatMessage])
  }
];

/** The encoded state of a room of `count` messages (room-fixture.ts). */
export function roomState(count: number): Uint8Array {
  return Y.encodeStateAsUpdate(roomDoc(count));
}

/** Median and p99 ms per own append, for each way of appending. */
export function measureAppends(setup: AppendSetup, state: Uint8Array = roomState(setup.messages)): AppendRow[] {
  return appendWays.map(({ name, append }) => {
    const mine = new Y.Doc();
    const other = new Y.Doc();
    Y.applyUpdate(mine, state);
    Y.applyUpdate(other, state);
    const fromOther: Uint8Array[] = [];
    other.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'mine') fromOther.push(update);
    });
    const fromMine: Uint8Array[] = [];
    mine.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') fromMine.push(update);
    });
    const times: number[] = [];
    for (let a = 0; a < setup.appends; a++) {
      for (let r = 0; r < setup.remotePerAppend; r++) sendMessage(other, { author: 'someone-else', text: TEXT });
      for (const update of fromOther.splice(0)) Y.applyUpdate(mine, update, 'remote');
      const t0 = performance.now();
      append(mine, 'me', TEXT);
      times.push(performance.now() - t0);
      for (const update of fromMine.splice(0)) Y.applyUpdate(other, update, 'mine');
    }
    const expected = setup.messages + setup.appends * (1 + setup.remotePerAppend);
    if (roomTypes(mine).messages.length !== expected || roomTypes(other).messages.length !== expected) {
      throw new Error(`append bench: the two replicas hold ${roomTypes(mine).messages.length} and ${roomTypes(other).messages.length} messages, expected ${expected}`);
    }
    mine.destroy();
    other.destroy();
    return { setup, way: name, medianMs: median(times), p99Ms: quantile(times, 0.99) };
  });
}
