import type * as Y from 'yjs';
import { addedValues } from '$lib/chat/added-items';
import { applyEdit } from '$lib/chat/edits';
import { roomTypes, type ChatMessage, type EditEntry } from '$lib/chat/schema';
import { asChatMessage, asEditEntry } from '$lib/chat/values';
import type { MessageIndex } from './message-index';

export interface RoomIndexerOptions {
  /** Longest stretch of indexing before giving the page a turn, in ms. @default 8 */
  sliceMs?: number;
  /** Gives the page a turn (input, rendering) between slices. @default `pageTurn` */
  pause?: () => Promise<void>;
}

/**
 * Lets input and rendering in, then goes on at once: `scheduler.yield()` where there is one,
 * else a message to ourselves. Not `setTimeout(0)`: nested timers wait at least 4 ms, which
 * made the walk of 100,000 messages a third longer.
 */
export function pageTurn(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Keeps one room's messages in a `MessageIndex` as its Y.Doc changes: the messages there now
 * (walked in slices of a few ms, so a long room does not block the page), then each
 * transaction's appended messages (from its structs, not `event.changes`, which walks the
 * room) and each changed `edits` entry: an edit replaces the indexed text, a deletion takes
 * the message out. A message removed from the array (rare) makes it walk the room again.
 */
export class RoomIndexer {
  /** Settles once the messages present at the start are indexed. */
  readonly ready: Promise<void>;
  readonly #index: MessageIndex;
  readonly #roomId: string;
  readonly #messages: Y.Array<ChatMessage>;
  readonly #edits: Y.Map<EditEntry>;
  readonly #sliceMs: number;
  readonly #pause: () => Promise<void>;
  /** Elements of the array as far as this indexer knows, to tell appends from removals. */
  #known: number;
  /** Set while walking: messages appended meanwhile, which the walk's final sweep keeps. */
  #appendedDuringWalk: Set<string> | null = null;
  #walkAgain = false;
  #stopped = false;

  constructor(index: MessageIndex, roomId: string, doc: Y.Doc, options: RoomIndexerOptions = {}) {
    this.#index = index;
    this.#roomId = roomId;
    const types = roomTypes(doc);
    this.#messages = types.messages;
    this.#edits = types.edits;
    this.#sliceMs = options.sliceMs ?? 8;
    this.#pause = options.pause ?? pageTurn;
    this.#known = this.#messages.length;
    this.#messages.observe(this.#onMessages);
    this.#edits.observe(this.#onEdits);
    this.ready = this.#walk();
  }

  /** Stops following the doc; what is indexed stays (the room's last known state). */
  stop(): void {
    this.#stopped = true;
    this.#messages.unobserve(this.#onMessages);
    this.#edits.unobserve(this.#onEdits);
  }

  /** Indexes one message as it shows now: edit applied, or out when deleted. */
  #put(message: ChatMessage): void {
    const shown = applyEdit(message, asEditEntry(this.#edits.get(message.id)));
    if (shown.deletedAt !== null) this.#index.remove(this.#roomId, message.id);
    else this.#index.set({ roomId: this.#roomId, id: message.id, author: message.author, text: shown.text, ts: message.ts });
  }

  readonly #onMessages = (_event: Y.YArrayEvent<ChatMessage>, transaction: Y.Transaction) => {
    const added = addedValues(transaction, this.#messages);
    const length = this.#messages.length;
    const removed = length !== this.#known + added.length;
    this.#known = length;
    for (const value of added) {
      const message = asChatMessage(value);
      if (!message) continue;
      this.#put(message);
      this.#appendedDuringWalk?.add(message.id);
    }
    if (!removed) return;
    if (this.#appendedDuringWalk) this.#walkAgain = true;
    else void this.#walk();
  };

  readonly #onEdits = (event: Y.YMapEvent<EditEntry>) => {
    for (const id of event.keysChanged) {
      const indexed = this.#index.get(this.#roomId, id);
      const entry = asEditEntry(this.#edits.get(id));
      if (indexed && entry) this.#put(indexed);
      // An entry taken away, or text for a message not indexed: only the doc knows the rest.
      else if (!entry || 'text' in entry) this.#putFromDoc(id);
    }
  };

  #putFromDoc(id: string): void {
    for (let i = this.#messages.length - 1; i >= 0; i--) {
      const message = asChatMessage(this.#messages.get(i));
      if (message?.id !== id) continue;
      this.#put(message);
      return;
    }
  }

  async #walk(): Promise<void> {
    do {
      this.#walkAgain = false;
      this.#appendedDuringWalk = new Set();
      const values = this.#messages.toArray();
      const present = new Set<string>();
      let sliceStart = performance.now();
      for (const value of values) {
        if (this.#stopped) return;
        const message = asChatMessage(value);
        if (!message) continue;
        present.add(message.id);
        this.#put(message);
        if (performance.now() - sliceStart < this.#sliceMs) continue;
        await this.#pause();
        sliceStart = performance.now();
      }
      if (this.#stopped) return;
      // Indexed before but gone from the array now.
      for (const id of [...this.#index.idsOf(this.#roomId)]) {
        if (!present.has(id) && !this.#appendedDuringWalk.has(id)) this.#index.remove(this.#roomId, id);
      }
      this.#appendedDuringWalk = null;
    } while (this.#walkAgain);
  }
}
