import * as Y from 'yjs';
import type { DecodedUpdate } from './update-places';
import { judgeUpdate, type ClientOwners, type JudgeOptions, type Judged, type Writer } from './write-rules';

export type { ClientOwners, JudgeOptions, Writer } from './write-rules';

/** An update that may be applied, and what it does. */
export interface Admitted extends Judged {
  ok: true;
  decoded: DecodedUpdate;
  /** Per client, the clock just past the update's last struct: what its ack names (SPEC 9). */
  ends: Map<number, number>;
  /** No structs and no deletions at all: nothing to apply. */
  empty: boolean;
}

export interface Refused {
  ok: false;
  /** The close reason (SPEC 7.8): names the broken rule, never the content. */
  reason: string;
  /** It builds on changes the doc does not have (yet): a later sync step 2 may bring them. */
  missing?: true;
}

export type Admission = Admitted | Refused;

/**
 * "Can this update be applied, and may this writer write it?" (SPEC 7), decided before
 * anything is applied: a Yjs transaction cannot be rolled back, and an update whose
 * dependencies are missing would sit half-applied in the doc's pending structs. The update
 * is decoded once, checked for gaps and missing dependencies, then judged by the write rules.
 * The sync server asks it of every update; the browser, of the user's own changes.
 */
export function admitUpdate(doc: Y.Doc, update: Uint8Array, writer: Writer, owners: ClientOwners, options: JudgeOptions = {}): Admission {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: 'Malformed update' };
  }
  const applicable = checkApplicable(doc, decoded);
  if (!applicable.ok) return applicable;
  const verdict = judgeUpdate(doc, decoded, writer, owners, options);
  if (!verdict.ok) return verdict;
  return {
    ok: true,
    decoded,
    ends: applicable.ends,
    empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0,
    newClients: verdict.newClients,
    addedMessages: verdict.addedMessages
  };
}

/** SPEC 7: no gaps, and everything the update refers to or deletes is in the doc or in it. */
function checkApplicable(doc: Y.Doc, decoded: DecodedUpdate): { ok: true; ends: Map<number, number> } | Refused {
  const ends = new Map<number, number>();
  const known = (client: number): number => ends.get(client) ?? Y.getState(doc.store, client);
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
      if (range.clock + range.len > known(client)) return { ok: false, reason: 'Update deletes content the server does not have', missing: true };
    }
  }
  return { ok: true, ends };
}
