import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The JSON text of the state ('null' when the client left). */
  json: string;
}

/** Decodes an awareness update; throws on malformed bytes. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), json: decoding.readVarString(decoder) });
  }
  return entries;
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Keeps the entries a connection may write: clientIDs no other connection owns, with a
 * state that is null (leaving) or names the connection's own user id.
 */
export function filterAwareness(
  entries: AwarenessEntry[],
  userId: string,
  ownedByOther: (clientId: number) => boolean
): AwarenessEntry[] {
  return entries.filter((e) => {
    if (ownedByOther(e.clientId)) return false;
    if (e.json === 'null') return true;
    try {
      const state = JSON.parse(e.json) as { user?: { id?: unknown } } | null;
      return state === null || state.user?.id === userId;
    } catch {
      return false;
    }
  });
}
