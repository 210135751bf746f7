import type * as Y from 'yjs';

/** Where one element of a Y.Array lives in the Yjs struct store. */
export interface StructId {
  client: number;
  clock: number;
}

/** Delivery state of a message, as the UI labels it. */
export type DeliveryStatus = 'pending' | 'sent';

/**
 * Remembers, per Yjs clientID, the clock below which the server has stored every struct
 * durably (ARCHITECTURE.md, "Durable ack"). Acks only ever move forward: a late or
 * repeated ack for a lower clock changes nothing.
 */
export class AckTracker {
  readonly #acked = new Map<number, number>();

  /** Records a type-100 ack: every struct of `client` with a clock below `clock` is durable. Returns whether anything moved. */
  markAcked(client: number, clock: number): boolean {
    if (!Number.isSafeInteger(client) || !Number.isSafeInteger(clock) || clock <= 0) return false;
    const current = this.#acked.get(client) ?? 0;
    if (clock <= current) return false;
    this.#acked.set(client, clock);
    return true;
  }

  /** Records a state vector of durable state (the server's sync step 1). Returns whether anything moved. */
  markStateVector(sv: ReadonlyMap<number, number>): boolean {
    let moved = false;
    for (const [client, clock] of sv) moved = this.markAcked(client, clock) || moved;
    return moved;
  }

  /** Whether the struct `client:clock` is known to be stored by the server. */
  isAcked(client: number, clock: number): boolean {
    return clock < (this.#acked.get(client) ?? 0);
  }

  /** The acked clock of `client` (0 when nothing is acked). */
  ackedClock(client: number): number {
    return this.#acked.get(client) ?? 0;
  }

  /** A plain snapshot, to keep acks across page loads (pairs of [client, clock]). */
  toJSON(): [number, number][] {
    return [...this.#acked];
  }

  /** Merges a snapshot made by `toJSON`; ignores anything malformed. */
  restore(snapshot: unknown): void {
    if (!Array.isArray(snapshot)) return;
    for (const pair of snapshot) {
      if (Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number') this.markAcked(pair[0], pair[1]);
    }
  }
}

/** One live element of a Y.Array with the struct id it was inserted under. */
export interface LocatedElement<T> {
  value: T;
  id: StructId;
}

/** The slice of Yjs' internal `Item` that `locateElements` reads. */
interface ItemView {
  id: StructId;
  deleted: boolean;
  countable: boolean;
  right: ItemView | null;
  content: { getContent(): unknown[] };
}

/**
 * The first item of a Y.Array's internal linked list. Yjs exposes no public way to map an
 * array element to the struct id it was written under, and that id is what durable acks
 * refer to; `_start` is stable across Yjs 13 and this cast is the only place we rely on it.
 */
function firstItem<T>(array: Y.Array<T>): ItemView | null {
  return (array as unknown as { _start: ItemView | null })._start;
}

/**
 * The live elements of `array` in document order, each with its struct id. One Yjs item can
 * hold several consecutive elements (inserted together, or merged later); element `k` of an
 * item whose id is `client:clock` has the id `client:(clock + k)`.
 */
export function locateElements<T>(array: Y.Array<T>): LocatedElement<T>[] {
  const out: LocatedElement<T>[] = [];
  for (let item = firstItem(array); item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const values = item.content.getContent() as T[];
    const { client, clock } = item.id;
    for (let k = 0; k < values.length; k++) out.push({ value: values[k] as T, id: { client, clock: clock + k } });
  }
  return out;
}

/** The delivery state of an element: sent once the server acked its struct. */
export function deliveryStatus(tracker: AckTracker, id: StructId): DeliveryStatus {
  return tracker.isAcked(id.client, id.clock) ? 'sent' : 'pending';
}
