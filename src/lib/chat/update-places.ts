import * as Y from 'yjs';
import { ROOM_TYPE_NAMES } from './schema';

/**
 * Where the structs of a decoded Yjs update land in a document, found before the update
 * is applied: the top-level type and map key of each new item, and the doc's own items a
 * delete set covers. Pure reads of `doc`; nothing is integrated.
 */

type RoomTypeName = (typeof ROOM_TYPE_NAMES)[number];

/** A top-level type and, for the maps, the key. */
export interface Place {
  type: RoomTypeName;
  key: string | null;
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** A place, or why the item has none we accept. */
export type PlaceResult = { ok: true; place: Place } | { ok: false; reason: string };

const IN_PROGRESS = Symbol('in progress');

function isRoomTypeName(name: string): name is RoomTypeName {
  return (ROOM_TYPE_NAMES as readonly string[]).includes(name);
}

/** Resolves places for the items of one update against one doc (memoised; one per judgement). */
export class UpdatePlaces {
  readonly #doc: Y.Doc;
  readonly #byClient = new Map<number, Y.AbstractStruct[]>();
  readonly #typeNames = new Map<unknown, string>();
  readonly #memo = new Map<Y.Item, PlaceResult | typeof IN_PROGRESS>();

  constructor(doc: Y.Doc, decoded: DecodedUpdate) {
    this.#doc = doc;
    for (const struct of decoded.structs) {
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
    for (const [name, type] of doc.share) this.#typeNames.set(type, name);
  }

  /** The clock the doc has of `client` before the update: structs below it are the doc's. */
  known(client: number): number {
    return Y.getState(this.#doc.store, client);
  }

  /** The struct holding `id`: the doc's if it has it, otherwise the update's; null if neither. */
  struct(id: Y.ID): Y.AbstractStruct | null {
    if (id.clock < this.known(id.client)) {
      const structs = this.#doc.store.clients.get(id.client);
      if (!structs) return null;
      try {
        return structs[Y.findIndexSS(structs, id.clock)] ?? null;
      } catch {
        return null;
      }
    }
    for (const s of this.#byClient.get(id.client) ?? []) {
      if (s.id.clock <= id.clock && id.clock < s.id.clock + s.length) return s;
    }
    return null;
  }

  /** The place of an item, whether it is the doc's or the update's. */
  placeOf(item: Y.Item): PlaceResult {
    const memo = this.#memo.get(item);
    if (memo === IN_PROGRESS) return { ok: false, reason: 'Update has a cycle of origins' };
    if (memo) return memo;
    this.#memo.set(item, IN_PROGRESS);
    const result = this.#resolve(item);
    this.#memo.set(item, result);
    return result;
  }

  #resolve(item: Y.Item): PlaceResult {
    const parent = item.parent as unknown;
    if (parent instanceof Y.AbstractType) {
      // An item of the doc: its parent is already a type.
      const name = this.#typeNames.get(parent);
      if (name === undefined || !isRoomTypeName(name)) return { ok: false, reason: 'Content is not in a room type' };
      return { ok: true, place: { type: name, key: item.parentSub } };
    }
    if (typeof parent === 'string') {
      if (!isRoomTypeName(parent)) return { ok: false, reason: 'Unknown top-level type' };
      return { ok: true, place: { type: parent, key: item.parentSub } };
    }
    if (parent instanceof Y.ID) return { ok: false, reason: 'Nested types are not allowed' };
    // Not encoded: like Yjs, take parent and key from the left origin, else the right one;
    // a neighbour that is garbage-collected would turn the item into garbage.
    const left = item.origin === null ? null : this.struct(item.origin);
    const right = item.rightOrigin === null ? null : this.struct(item.rightOrigin);
    const leftOk = item.origin === null || left instanceof Y.Item;
    const rightOk = item.rightOrigin === null || right instanceof Y.Item;
    if (leftOk && rightOk && left instanceof Y.Item) return this.placeOf(left);
    if (leftOk && rightOk && right instanceof Y.Item) return this.placeOf(right);
    return { ok: false, reason: 'Update refers to content whose type is unknown' };
  }

  /**
   * The doc's items that the delete set would delete now: already deleted ones and the
   * update's own new items are left out (their insertion is judged on its own). Each comes
   * with the covered part of its content, as offsets.
   */
  *deletedItems(ds: DecodedUpdate['ds']): Generator<{ item: Y.Item; from: number; to: number } | { missing: true }> {
    for (const [client, ranges] of ds.clients) {
      const known = this.known(client);
      const structs = this.#doc.store.clients.get(client);
      for (const { clock, len } of ranges) {
        const end = Math.min(clock + len, known);
        if (clock >= end) continue;
        if (!structs) {
          yield { missing: true };
          continue;
        }
        let index: number;
        try {
          index = Y.findIndexSS(structs, clock);
        } catch {
          yield { missing: true };
          continue;
        }
        for (; index < structs.length; index++) {
          const struct = structs[index]!;
          if (struct.id.clock >= end) break;
          if (!(struct instanceof Y.Item) || struct.deleted) continue;
          const from = Math.max(clock, struct.id.clock) - struct.id.clock;
          const to = Math.min(end, struct.id.clock + struct.length) - struct.id.clock;
          yield { item: struct, from, to };
        }
      }
    }
  }

  /** Live elements of the doc's `messages` (id and author), for authorship and uniqueness. */
  docMessages(): unknown[] {
    return this.#doc.share.has('messages') ? this.#doc.getArray('messages').toArray() : [];
  }
}
