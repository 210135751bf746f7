import type * as Y from 'yjs';
import type { LocatedElement, StructId } from './delivery';

/** The slice of a Yjs `Item` this module reads (see `locateElements` in delivery.ts). */
interface AddedItem {
  id: StructId;
  deleted: boolean;
  content: { getContent(): unknown[] };
}

/**
 * When a change to a Y.Array only appended elements after the `knownLength` it had, the
 * appended elements with their struct ids; otherwise null (the caller walks the whole
 * array again). Appending is what nearly every change to a chat is, and this keeps it
 * from costing a walk over ten thousand messages.
 */
export function appendedElements<T>(event: Y.YArrayEvent<T>, knownLength: number): LocatedElement<T>[] | null {
  const { delta, added } = event.changes;
  let at = 0;
  if (knownLength > 0) {
    if (delta[0]?.retain !== knownLength) return null;
    at = 1;
  }
  const inserted = delta[at]?.insert;
  if (delta.length !== at + 1 || !Array.isArray(inserted)) return null;
  // Delta values are the very objects the items hold: map them back to their ids.
  const ids = new Map<unknown, StructId>();
  for (const item of added as unknown as Set<AddedItem>) {
    if (item.deleted) continue;
    const values = item.content.getContent();
    for (let k = 0; k < values.length; k++) ids.set(values[k], { client: item.id.client, clock: item.id.clock + k });
  }
  const out: LocatedElement<T>[] = [];
  for (const value of inserted as T[]) {
    const id = ids.get(value);
    if (!id) return null;
    out.push({ value, id });
  }
  return out;
}
