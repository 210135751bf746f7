import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';

/** A message text of a typical length (65 characters). */
export const TEXT = 'a message of about the length people write in chat, give or take';

/**
 * A room document of `count` messages written by 40 members in turn through the app's
 * `sendMessage`, one Yjs client each (as on real devices), so consecutive messages are
 * separate items that Yjs cannot merge. Runs in Node and in the browser.
 */
export function roomDoc(count: number): Y.Doc {
  const doc = new Y.Doc();
  const clients = Array.from({ length: 40 }, (_, i) => 1_000_000 + i);
  const ts = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    // A fixture shortcut: one doc writing as 40 clients gives the same items as 40 devices.
    doc.clientID = clients[i % clients.length]!;
    sendMessage(doc, { author: `user-${i % 40}`, text: TEXT, ts: ts + i, id: `m${i}` });
  }
  return doc;
}
