import * as Y from 'yjs';
import { admitUpdate, type Admission, type Writer } from '../../src/lib/chat/admission';
import { addedValues } from '../../src/lib/chat/added-items';
import { roomTypes } from '../../src/lib/chat/schema';
import type { ClientBinding, UpdateStore } from '../storage/update-store';

/** Where a change to the room's doc came from (its Yjs transaction origin). */
export type ChangeOrigin = 'store' | 'client' | 'remote' | 'server';

/** What a room's doc is built from, read from its store. */
export interface StoredDocument {
  updates: Uint8Array[];
  clients: Map<number, string>;
  /** The log since the last compaction. */
  size: { count: number; bytes: number };
  readMs: number;
}

/** Reads what `roomId`'s doc is built from. */
export async function readStoredDocument(store: UpdateStore, roomId: string): Promise<StoredDocument> {
  const started = performance.now();
  const [updates, size] = await Promise.all([store.load(roomId), store.logSize(roomId)]);
  // Read after the updates: a binding commits with its update, so every clientID the
  // updates just read write with is bound in what this reads (SPEC 7.1).
  const clients = await store.loadClients(roomId);
  return { updates, clients, size, readMs: performance.now() - started };
}

/**
 * A room's Y.Doc with what judging updates against it needs: who owns which Yjs clientID
 * (SPEC 7.1) and who wrote which message (the write rules would otherwise scan the room on
 * every update: 12 % of busy time in the fan-out profile). Knows nothing of connections.
 */
export class RoomDocument {
  readonly doc = new Y.Doc();
  /** Yjs clientID -> the user it is bound to. */
  readonly #owners: Map<number, string>;
  /** Message id -> author. */
  readonly #authors = new Map<string, string>();
  /** The whole document encoded, for clients that have nothing yet; dropped on any change. */
  #fullState: Uint8Array | null = null;

  /**
   * Builds the doc from what was stored, then from `remote`: changes other instances stored
   * and published while it was read (what the read already had is a no-op the second time).
   */
  constructor({ updates, clients }: Pick<StoredDocument, 'updates' | 'clients'>, remote: { update: Uint8Array; writerId: string }[]) {
    this.#owners = clients;
    for (const { update, writerId } of remote) this.bindRemote(update, writerId);
    this.doc.transact(() => {
      for (const u of updates) Y.applyUpdate(this.doc, u, 'store');
      for (const { update } of remote) Y.applyUpdate(this.doc, update, 'store');
    }, 'store');
    const messages = roomTypes(this.doc).messages;
    for (const value of messages.toArray()) this.#noteAuthor(value);
    // Whoever's change it is (a client's, another instance's): the index follows the doc.
    messages.observe((_event, transaction) => {
      for (const value of addedValues(transaction, messages)) this.#noteAuthor(value);
    });
    // A compacted room is one snapshot: already the whole document, as new clients need it.
    if (updates.length === 1 && remote.length === 0) this.#fullState = updates[0]!;
  }

  /** SPEC 7: may `writer` apply `update` now? Decided before anything is applied. */
  admit(update: Uint8Array, writer: Writer): Admission {
    return admitUpdate(this.doc, update, writer, (client) => this.#owners.get(client), { authors: this.#authors });
  }

  /**
   * Binds clientIDs to their writer at once, so nobody else can take them while the update
   * is stored; returns the bindings to store with it.
   */
  bind(clients: number[], userId: string): ClientBinding[] {
    for (const clientId of clients) this.#owners.set(clientId, userId);
    return clients.map((clientId) => ({ clientId, userId }));
  }

  /** Binds the new clientIDs of a change another instance judged to its writer. */
  bindRemote(update: Uint8Array, writerId: string): void {
    for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) {
      if (!this.#owners.has(client)) this.#owners.set(client, writerId);
    }
  }

  /**
   * Applies an admitted update (or another instance's) and returns what it changed, as Yjs
   * encodes it for its own 'update' event: the part that was new, which is what is stored
   * and forwarded. Null when it changed nothing.
   */
  apply(update: Uint8Array, origin: ChangeOrigin): Uint8Array | null {
    let change: Uint8Array | null = null;
    const capture = (encoded: Uint8Array, from: unknown) => {
      if (from === origin) change = encoded;
    };
    this.doc.on('update', capture);
    try {
      Y.applyUpdate(this.doc, update, origin);
    } finally {
      this.doc.off('update', capture);
    }
    if (change === null) return null;
    this.#fullState = null;
    return change;
  }

  /** Whether someone writes with, or owns, this clientID here. */
  clientTaken(clientId: number): boolean {
    return this.#owners.has(clientId) || Y.getState(this.doc.store, clientId) > 0;
  }

  /** Sync step 1's state vector. */
  get stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  /** What a client with `stateVector` lacks (sync step 2). Encoded once for empty clients. */
  missingFrom(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    return empty ? (this.#fullState ??= Y.encodeStateAsUpdate(this.doc)) : Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  destroy(): void {
    this.doc.destroy();
  }

  #noteAuthor(value: unknown): void {
    const message = value as { id?: unknown; author?: unknown } | null;
    if (typeof message?.id === 'string' && typeof message.author === 'string' && !this.#authors.has(message.id)) {
      this.#authors.set(message.id, message.author);
    }
  }
}
