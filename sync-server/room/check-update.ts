import * as Y from 'yjs';

export type UpdateCheck =
  | { ok: true; decoded: ReturnType<typeof Y.decodeUpdate>; ends: Map<number, number>; empty: boolean }
  | { ok: false; reason: string; /** It builds on changes the server does not have (yet). */ missing?: true };

/**
 * Decides, before anything is applied, whether `update` can be applied to `doc` in full.
 * A Yjs transaction cannot be rolled back, and an update whose dependencies are missing
 * would sit half-applied in the doc's pending structs; both are refused here.
 * Returns, per client, the clock just past the update's last struct (what an ack names).
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateCheck {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: 'Malformed update' };
  }
  const store = doc.store;
  const ends = new Map<number, number>();
  const known = (client: number): number => ends.get(client) ?? Y.getState(store, client);

  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) return { ok: false, reason: 'Update has gaps' };
    const { client, clock } = struct.id;
    const have = known(client);
    if (clock > have) return { ok: false, reason: 'Update depends on changes the server does not have', missing: true };
    ends.set(client, Math.max(have, clock + struct.length));
  }
  const exists = (id: Y.ID | null): boolean => id === null || id.clock < known(id.client);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent as unknown;
    if (!exists(struct.origin) || !exists(struct.rightOrigin) || (parent instanceof Y.ID && !exists(parent))) {
      return { ok: false, reason: 'Update refers to content the server does not have', missing: true };
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) {
      if (range.clock + range.len > known(client)) {
        return { ok: false, reason: 'Update deletes content the server does not have', missing: true };
      }
    }
  }
  return { ok: true, decoded, ends, empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
}
