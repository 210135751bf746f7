import * as Y from 'yjs';
import { MAX_MESSAGE_LENGTH, roomTypes, type ChatMessage } from './schema';

export type SendResult = { ok: true; message: ChatMessage } | { ok: false; error: 'empty' | 'too-long' };

export interface SendInput {
  author: string;
  text: string;
  replyTo?: string | undefined;
  /** Marks the message as forwarded from another room. */
  forwarded?: boolean | undefined;
  /** Defaults to now; tests pass their own. */
  ts?: number;
  /** Defaults to a random UUID. */
  id?: string;
}

/** Checks a text for sending: trimmed ends, not empty, at most MAX_MESSAGE_LENGTH. */
export function validateText(text: string): { ok: true; text: string } | { ok: false; error: 'empty' | 'too-long' } {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, error: 'empty' };
  if (trimmed.length > MAX_MESSAGE_LENGTH) return { ok: false, error: 'too-long' };
  return { ok: true, text: trimmed };
}

/** Appends a message to the room document. */
export function sendMessage(doc: Y.Doc, input: SendInput): SendResult {
  const checked = validateText(input.text);
  if (!checked.ok) return checked;
  const message: ChatMessage = {
    id: input.id ?? crypto.randomUUID(),
    author: input.author,
    text: checked.text,
    ts: input.ts ?? Date.now()
  };
  if (input.replyTo) message.replyTo = input.replyTo;
  if (input.forwarded) message.forwarded = true;
  appendAtEnd(roomTypes(doc).messages, message);
  return { ok: true, message };
}

/** Per messages array, the id of an item that was its last when this replica last appended. */
const tailSeen = new WeakMap<Y.Array<ChatMessage>, Y.ID>();

/**
 * Appends `message` after the last item of `messages`, as `push` does, but finds that item by
 * walking right from the tail this replica saw at its previous append: the walk costs one step
 * per message that arrived since. Both `push` and `insert(length, …)` walk from the start of
 * the list whenever Yjs has no search marker near the end — and Yjs drops them all on every
 * remote transaction, so in a busy room each own append walked the whole history (0.5 to 3 ms
 * at 60,000 messages against 0.013 ms now; see docs/benchmarks.md).
 */
function appendAtEnd(messages: Y.Array<ChatMessage>, message: ChatMessage): void {
  const doc = messages.doc;
  if (!doc) throw new Error('appendAtEnd: the messages array belongs to no document');
  doc.transact((transaction) => {
    let tail = messages._start;
    const seen = tailSeen.get(messages);
    if (seen) {
      // Struct ids never leave the store; merging or splitting items keeps every id findable.
      const struct = Y.getItem(doc.store, seen) as Y.Item | Y.GC;
      if (struct instanceof Y.Item && struct.parent === messages) tail = struct;
    }
    while (tail?.right) tail = tail.right;
    const clock = Y.getState(doc.store, doc.clientID);
    // What Yjs's own insert builds (typeListInsertGenericsAfter): origin = left's last id.
    const item = new Y.Item(Y.createID(doc.clientID, clock), tail, tail?.lastId ?? null, null, null, messages, null, new Y.ContentAny([message]));
    item.integrate(transaction, 0);
    tailSeen.set(messages, item.id);
  });
}

/** The messages in document order (the order every replica converges to). */
export function listMessages(doc: Y.Doc): ChatMessage[] {
  return roomTypes(doc).messages.toArray();
}
