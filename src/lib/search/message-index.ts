import SearchableMap from 'minisearch/SearchableMap';
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
  /** How many messages match, counted up to COUNT_LIMIT. */
  total: number;
  /** True when more than COUNT_LIMIT match (`total` stopped counting). */
  capped: boolean;
  /** The query's words as the index compares them (folded), for marking them in snippets. */
  terms: string[];
}

/** Matches are counted up to this many; past it the count costs more than it tells. */
export const COUNT_LIMIT = 1000;

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits and folds text into words, as the index stores them and queries look them up. */
export function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The words of a query (folded), each a word prefix to look up. */
export const queryTerms = words;

/** The messages holding one word, oldest to newest (by ts, then document number) once sorted. */
interface Posting {
  term: string;
  docs: number[];
  /** False after an out-of-order insert; sorted again on the next query that reads it. */
  sorted: boolean;
}

interface Doc {
  message: IndexedMessage;
  /** The postings of its distinct words: to take it out again, and to check other query words. */
  postings: Posting[];
}

const keyOf = (roomId: string, id: string) => `${roomId}\u0000${id}`;

/**
 * Full-text index of the messages on this device, newest first. Words are folded (case,
 * accents) and kept in MiniSearch's radix tree (`SearchableMap`), so a prefix finds its words
 * without walking the others; each word's posting list is kept in time order. A query is
 * every word as a word prefix (as you type): the newest hits come from a merge of the
 * shortest word's lists, read from the newest end and checked against the other words, so a
 * keystroke costs about the hits shown, not every message that matches (MiniSearch's own
 * search scores every match: 190 ms for "to" over 100,000 messages). Pure: no DOM, no Yjs.
 */
export class MessageIndex {
  readonly #onchange: () => void;
  readonly #terms = new SearchableMap<Posting>();
  readonly #docs: (Doc | undefined)[] = [];
  readonly #numbers = new Map<string, number>();
  readonly #rooms = new Map<string, Set<string>>();
  /** Postings an out-of-order insert left unsorted. */
  readonly #unsorted = new Set<Posting>();
  #size = 0;

  /** `onchange` is told of every change (to refresh what is shown). */
  constructor(options: { onchange?: () => void } = {}) {
    this.#onchange = options.onchange ?? (() => {});
  }

  /** How many messages are indexed. */
  get size(): number {
    return this.#size;
  }

  get(roomId: string, id: string): IndexedMessage | undefined {
    const n = this.#numbers.get(keyOf(roomId, id));
    return n === undefined ? undefined : this.#docs[n]?.message;
  }

  /** The ids of the messages indexed for one room. */
  idsOf(roomId: string): ReadonlySet<string> {
    return this.#rooms.get(roomId) ?? new Set();
  }

  /** Adds a message, or brings an indexed one up to date (an edit). */
  set(message: IndexedMessage): void {
    const key = keyOf(message.roomId, message.id);
    let n = this.#numbers.get(key);
    const before = n === undefined ? undefined : this.#docs[n];
    if (before && before.message.text === message.text && before.message.ts === message.ts) {
      before.message = message;
      return;
    }
    this.#onchange();
    if (n !== undefined && before) this.#unlink(n, before);
    else {
      n = this.#docs.length;
      this.#numbers.set(key, n);
      this.#size++;
      let ids = this.#rooms.get(message.roomId);
      if (!ids) this.#rooms.set(message.roomId, (ids = new Set()));
      ids.add(message.id);
    }
    const doc: Doc = { message, postings: [] };
    this.#docs[n] = doc;
    for (const term of new Set(words(message.text))) {
      let posting = this.#terms.get(term);
      if (!posting) this.#terms.set(term, (posting = { term, docs: [], sorted: true }));
      const last = posting.docs.at(-1);
      if (posting.sorted && last !== undefined && this.#compare(last, n) > 0) {
        posting.sorted = false;
        this.#unsorted.add(posting);
      }
      posting.docs.push(n);
      doc.postings.push(posting);
    }
  }

  /** Takes a message out (deleted); nothing happens if it is not indexed. */
  remove(roomId: string, id: string): void {
    const key = keyOf(roomId, id);
    const n = this.#numbers.get(key);
    const doc = n === undefined ? undefined : this.#docs[n];
    if (n === undefined || !doc) return;
    this.#onchange();
    this.#unlink(n, doc);
    this.#docs[n] = undefined;
    this.#numbers.delete(key);
    this.#size--;
    this.#rooms.get(roomId)?.delete(id);
  }

  /** Takes out every message of a room (the user left it, or signed out). */
  removeRoom(roomId: string): void {
    for (const id of [...this.idsOf(roomId)]) this.remove(roomId, id);
    this.#rooms.delete(roomId);
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const terms = [...new Set(queryTerms(query))];
    const limit = options.limit ?? 50;
    const none: SearchResult = { hits: [], total: 0, capped: false, terms };
    if (terms.length === 0) return none;
    // Each word's postings (all words it is a prefix of); the one with the fewest entries leads.
    let lead: Posting[] | null = null;
    let leadSize = Infinity;
    let leadTerm = '';
    for (const term of terms) {
      const postings = [...this.#terms.atPrefix(term).values()];
      const size = postings.reduce((sum, p) => sum + p.docs.length, 0);
      if (size === 0) return none;
      if (size < leadSize) [lead, leadSize, leadTerm] = [postings, size, term];
    }
    const others = terms.filter((t) => t !== leadTerm);
    const rooms = options.rooms;
    const hits: IndexedMessage[] = [];
    let total = 0;
    for (const n of this.#newestFirst(lead!)) {
      const doc = this.#docs[n]!;
      if (rooms && !rooms.has(doc.message.roomId)) continue;
      if (!others.every((t) => doc.postings.some((p) => p.term.startsWith(t)))) continue;
      if (hits.length < limit) hits.push(doc.message);
      if (++total > COUNT_LIMIT) return { hits, total: COUNT_LIMIT, capped: true, terms };
    }
    return { hits, total, capped: false, terms };
  }

  /** Time order: ts, then document number (a stable tie-break). */
  #compare(a: number, b: number): number {
    return this.#docs[a]!.message.ts - this.#docs[b]!.message.ts || a - b;
  }

  /**
   * Sorts postings left unsorted (walking rooms one after another inserts out of time order),
   * for up to `budgetMs`; true once none is left. A query sorts what it reads anyway; this
   * moves that work off the first keystrokes, into the build.
   */
  sortPending(budgetMs: number): boolean {
    const start = performance.now();
    for (const posting of this.#unsorted) {
      this.#sort(posting);
      if (performance.now() - start >= budgetMs) break;
    }
    return this.#unsorted.size === 0;
  }

  #sort(posting: Posting): void {
    if (posting.sorted) return;
    posting.docs.sort((a, b) => this.#compare(a, b));
    posting.sorted = true;
    this.#unsorted.delete(posting);
  }

  /** Takes document `n` out of its words' postings (dropping words no message has any more). */
  #unlink(n: number, doc: Doc): void {
    for (const posting of doc.postings) {
      this.#sort(posting);
      const at = this.#find(posting.docs, n);
      if (at >= 0) posting.docs.splice(at, 1);
      if (posting.docs.length > 0) continue;
      this.#terms.delete(posting.term);
      this.#unsorted.delete(posting);
    }
  }

  /** Where `n` is in sorted `docs` (binary search), or -1. */
  #find(docs: number[], n: number): number {
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.#compare(docs[mid]!, n);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The documents of `postings`, newest first, each once: a k-way merge from the lists' ends. */
  *#newestFirst(postings: Posting[]): Generator<number> {
    for (const p of postings) this.#sort(p);
    if (postings.length === 1) {
      const docs = postings[0]!.docs;
      for (let i = docs.length - 1; i >= 0; i--) yield docs[i]!;
      return;
    }
    // A max-heap of cursors (list, position), by the document under each cursor.
    const heap: { docs: number[]; at: number }[] = postings.filter((p) => p.docs.length > 0).map((p) => ({ docs: p.docs, at: p.docs.length - 1 }));
    const above = (i: number, j: number) => this.#compare(heap[i]!.docs[heap[i]!.at]!, heap[j]!.docs[heap[j]!.at]!) > 0;
    const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && above(l, top)) top = l;
        if (r < heap.length && above(r, top)) top = r;
        if (top === i) return;
        swap(i, top);
        i = top;
      }
    };
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    let previous = -1;
    while (heap.length > 0) {
      const cursor = heap[0]!;
      const n = cursor.docs[cursor.at]!;
      // A message with several words of the prefix is in several lists: once is enough.
      if (n !== previous) yield n;
      previous = n;
      if (--cursor.at < 0) {
        heap[0] = heap.at(-1)!;
        heap.pop();
      }
      if (heap.length > 0) down(0);
    }
  }
}
