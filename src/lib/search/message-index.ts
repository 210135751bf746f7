import MiniSearch from 'minisearch';
import { fold } from './fold';

/** A message as search finds it: its text as shown (edits applied). */
export interface IndexedMessage {
  roomId: string;
  id: string;
  author: string;
  text: string;
  ts: number;
}

export interface SearchOptions {
  /** Most hits returned (the newest). @default 50 */
  limit?: number;
  /** Only messages of these rooms (the rooms the user is still in). */
  rooms?: ReadonlySet<string>;
}

export interface SearchResult {
  /** The newest matching messages, newest first, at most `limit`. */
  hits: IndexedMessage[];
  /** How many messages match in all. */
  total: number;
  /** The query's words as the index compares them (folded), for marking them in snippets. */
  terms: string[];
}

/** Query words shorter than this match whole words only: a one-letter prefix matches most of a room. */
export const MIN_PREFIX = 2;

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** Splits and folds a query as the index splits and folds message text. */
export function queryTerms(query: string): string[] {
  return tokenize(query)
    .map(fold)
    .filter((term) => term.length > 0);
}

interface IndexedDocument {
  key: string;
  text: string;
}

const keyOf = (roomId: string, id: string) => `${roomId}\u0000${id}`;

/**
 * Full-text index of the messages on this device, over MiniSearch (an inverted index in a
 * radix tree: prefix queries walk only the words that share the prefix). Every word of a
 * query must match, as a word prefix (from MIN_PREFIX letters), so results follow typing;
 * words are folded (case, accents). Keeps each indexed message's text, which MiniSearch needs to take
 * it out again exactly, and which snippets are cut from. Pure: no DOM, no Yjs.
 */
export class MessageIndex {
  readonly #onchange: () => void;
  readonly #search = new MiniSearch<IndexedDocument>({
    idField: 'key',
    fields: ['text'],
    storeFields: [],
    processTerm: (term) => fold(term) || null
  });
  readonly #messages = new Map<string, IndexedMessage>();
  readonly #rooms = new Map<string, Set<string>>();

  /** `onchange` is told of every change (to refresh what is shown). */
  constructor(options: { onchange?: () => void } = {}) {
    this.#onchange = options.onchange ?? (() => {});
  }

  /** How many messages are indexed. */
  get size(): number {
    return this.#messages.size;
  }

  get(roomId: string, id: string): IndexedMessage | undefined {
    return this.#messages.get(keyOf(roomId, id));
  }

  /** The ids of the messages indexed for one room. */
  idsOf(roomId: string): ReadonlySet<string> {
    return this.#rooms.get(roomId) ?? new Set();
  }

  /** Adds a message, or brings an indexed one up to date (an edit). */
  set(message: IndexedMessage): void {
    const key = keyOf(message.roomId, message.id);
    const before = this.#messages.get(key);
    if (before && before.text === message.text) {
      this.#messages.set(key, message);
      return;
    }
    this.#onchange();
    if (before) this.#search.remove({ key, text: before.text });
    this.#search.add({ key, text: message.text });
    this.#messages.set(key, message);
    let ids = this.#rooms.get(message.roomId);
    if (!ids) this.#rooms.set(message.roomId, (ids = new Set()));
    ids.add(message.id);
  }

  /** Takes a message out (deleted); nothing happens if it is not indexed. */
  remove(roomId: string, id: string): void {
    const key = keyOf(roomId, id);
    const before = this.#messages.get(key);
    if (!before) return;
    this.#onchange();
    this.#search.remove({ key, text: before.text });
    this.#messages.delete(key);
    this.#rooms.get(roomId)?.delete(id);
  }

  /** Takes out every message of a room (the user left it, or signed out). */
  removeRoom(roomId: string): void {
    for (const id of [...this.idsOf(roomId)]) this.remove(roomId, id);
    this.#rooms.delete(roomId);
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const terms = queryTerms(query);
    if (terms.length === 0) return { hits: [], total: 0, terms };
    const rooms = options.rooms;
    const found: IndexedMessage[] = [];
    const results = this.#search.search(terms.join(' '), {
      combineWith: 'AND',
      prefix: (term) => term.length >= MIN_PREFIX,
      // The query is folded already; folding again is a no-op, but keep one rule.
      processTerm: (term) => fold(term) || null
    });
    for (const result of results) {
      const message = this.#messages.get(result.id as string);
      if (message && (!rooms || rooms.has(message.roomId))) found.push(message);
    }
    found.sort((a, b) => b.ts - a.ts);
    return { hits: found.slice(0, options.limit ?? 50), total: found.length, terms };
  }
}
