import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ChatMessage } from '../../src/lib/chat/schema';

/**
 * The `messages` elements an update added, read after it was applied to `doc`. The
 * decoded update names its structs; the doc's integrated items say where they landed
 * (an appended item's parent is not encoded in the update, only its origin). Items the
 * doc has merged are sliced back to the update's range; deleted ones are skipped (their
 * content is gone, and a message sent and deleted at once notifies nobody).
 */
export function newMessagesIn(doc: Y.Doc, update: Uint8Array): ChatMessage[] {
  const messages = doc.share.get('messages');
  if (!messages) return [];
  const found: ChatMessage[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
    const structs = doc.store.clients.get(struct.id.client);
    if (!structs) continue;
    let index: number;
    try {
      index = Y.findIndexSS(structs, struct.id.clock);
    } catch {
      continue;
    }
    const end = struct.id.clock + struct.length;
    for (; index < structs.length; index++) {
      const item = structs[index]!;
      if (item.id.clock >= end) break;
      if (!(item instanceof Y.Item) || item.deleted || item.parent !== messages || !(item.content instanceof Y.ContentAny)) continue;
      const from = Math.max(struct.id.clock, item.id.clock) - item.id.clock;
      const to = Math.min(end, item.id.clock + item.length) - item.id.clock;
      found.push(...(item.content.arr.slice(from, to) as ChatMessage[]));
    }
  }
  return found;
}

/**
 * Users who have the room visible right now, on any instance (remote presence is in the
 * awareness too). Only `active: true` counts: a background tab, or a room the room list
 * keeps in sync, shows as present but not active, and should still get a push.
 */
export function activeUsers(awareness: Awareness): Set<string> {
  const active = new Set<string>();
  for (const state of awareness.getStates().values()) {
    const s = state as { user?: { id?: unknown }; active?: unknown };
    if (s.active === true && typeof s.user?.id === 'string') active.add(s.user.id);
  }
  return active;
}
