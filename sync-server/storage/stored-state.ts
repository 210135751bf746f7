import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** A room's stored state vector and deletions, encoded: how they are kept with a snapshot. */
export interface EncodedState {
  /** `Y.encodeStateVector`. */
  stateVector: Uint8Array;
  /** A Yjs update (v1) with no structs: every stored deletion. */
  deleteSet: Uint8Array;
}

/**
 * What a room's stored updates add up to, without their content: its state vector and its
 * deletions. A client whose state vector covers it already has every struct the room has,
 * and needs only the deletions as its sync step 2; the room's Y.Doc need not be built.
 *
 * Built from a document (compaction) and advanced by each stored update after it. Deletions
 * that Yjs derives while integrating (the loser of two concurrent writes to one map key) are
 * in a document's delete set but in no single update's: the stored deletions may lack them.
 * That is safe both ways: a client that has every struct derives them itself, and an update
 * that deletes them is not taken for a no-op (it goes to the document).
 */
export class StoredState {
  readonly #clocks: Map<number, number>;
  /** Client -> deleted clock ranges [start, end, start, end, ...], sorted and merged ... */
  readonly #deleted: Map<number, number[]>;
  /** ... except these clients', whose ranges were added to since (merged when next read). */
  readonly #unsorted = new Set<number>();
  #encoded: EncodedState | null = null;

  private constructor(clocks: Map<number, number>, deleted: Map<number, number[]>) {
    this.#clocks = clocks;
    this.#deleted = deleted;
  }

  static empty(): StoredState {
    return new StoredState(new Map(), new Map());
  }

  /** The state of a document: what a snapshot encoded from it holds. */
  static of(doc: Y.Doc): StoredState {
    const state = new StoredState(Y.decodeStateVector(Y.encodeStateVector(doc)), new Map());
    state.#addDeletions(Y.createDeleteSetFromStructStore(doc.store).clients);
    return state;
  }

  static decode(encoded: EncodedState): StoredState {
    const state = new StoredState(Y.decodeStateVector(encoded.stateVector), new Map());
    state.#addDeletions(Y.decodeUpdate(encoded.deleteSet).ds.clients);
    return state;
  }

  encode(): EncodedState {
    return (this.#encoded ??= { stateVector: Y.encodeStateVector(this.#clocks), deleteSet: this.#encodeDeletions() });
  }

  /** Advances the state by a stored update (one without gaps on top of what is stored). */
  add(update: Uint8Array): void {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      const { client, clock } = struct.id;
      if (clock + struct.length > (this.#clocks.get(client) ?? 0)) this.#clocks.set(client, clock + struct.length);
    }
    this.#addDeletions(ds.clients);
    this.#encoded = null;
  }

  /** Whether a client with this state vector has every struct the room has. */
  coveredBy(stateVector: Map<number, number>): boolean {
    for (const [client, clock] of this.#clocks) if ((stateVector.get(client) ?? 0) < clock) return false;
    return true;
  }

  /**
   * For an update that changes nothing (every struct, and everything they refer to, is
   * stored, and every deletion is a stored one): per client, the clock its ack names (SPEC 9).
   * Null when it may change something: the document must judge it.
   */
  changesNothing(decoded: Decoded): Map<number, number> | null {
    const has = (id: Y.ID | null): boolean => id === null || id.clock < (this.#clocks.get(id.client) ?? 0);
    const ends = new Map<number, number>();
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) return null;
      const { client, clock } = struct.id;
      const stored = this.#clocks.get(client) ?? 0;
      if (clock + struct.length > stored) return null;
      if (struct instanceof Y.Item && (!has(struct.origin) || !has(struct.rightOrigin) || (struct.parent instanceof Y.ID && !has(struct.parent)))) return null;
      ends.set(client, stored);
    }
    for (const [client, items] of decoded.ds.clients) {
      const ranges = this.#rangesOf(client);
      for (const { clock, len } of items) if (len > 0 && !rangesCover(ranges, clock, clock + len)) return null;
    }
    return ends;
  }

  #addDeletions(clients: Map<number, { clock: number; len: number }[]>): void {
    for (const [client, items] of clients) {
      let ranges = this.#deleted.get(client);
      if (!ranges) this.#deleted.set(client, (ranges = []));
      for (const { clock, len } of items) if (len > 0) ranges.push(clock, clock + len);
      this.#unsorted.add(client);
    }
  }

  /** The client's deleted ranges, sorted and merged. */
  #rangesOf(client: number): number[] {
    let ranges = this.#deleted.get(client) ?? [];
    if (this.#unsorted.delete(client)) this.#deleted.set(client, (ranges = mergeRanges(ranges)));
    return ranges;
  }

  #encodeDeletions(): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    // Clients in descending order, as Yjs writes a delete set.
    const clients = [...this.#deleted.keys()]
      .map((client) => [client, this.#rangesOf(client)] as const)
      .filter(([, ranges]) => ranges.length > 0)
      .sort((a, b) => b[0] - a[0]);
    encoding.writeVarUint(encoder, clients.length);
    for (const [client, ranges] of clients) {
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, ranges.length / 2);
      for (let i = 0; i < ranges.length; i += 2) {
        encoding.writeVarUint(encoder, ranges[i]!);
        encoding.writeVarUint(encoder, ranges[i + 1]! - ranges[i]!);
      }
    }
    return encoding.toUint8Array(encoder);
  }
}

/** Sorts [start, end] pairs and joins those that overlap or touch. */
function mergeRanges(flat: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [start, end] of pairs) {
    const last = merged.length - 1;
    if (merged.length > 0 && start <= merged[last]!) merged[last] = Math.max(merged[last]!, end);
    else merged.push(start, end);
  }
  return merged;
}

/** Whether [start, end) lies inside one of the sorted, merged ranges. */
function rangesCover(ranges: number[], start: number, end: number): boolean {
  // The last range starting at or before `start` (binary search over pairs).
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid * 2]! <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && ranges[found * 2 + 1]! >= end;
}
