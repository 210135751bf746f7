import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { seededRandom } from '../../helpers/seeded-random';

/** A message text of a typical length (64 characters). */
export const TEXT = 'a message of about the length people write in chat, give or take';

/** How the fixture's members write. */
export interface RoomShape {
  /**
   * As the app writes: message and user ids are UUIDs, and every member writes from a new
   * Yjs client every `perSession` messages (each page load is a new client). Otherwise short
   * ids (`m123`, `user-7`) and one client per member for the whole room.
   */
  perSession?: number;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * A room document of `count` messages written by 40 members in turn through the app's
 * `sendMessage`, so consecutive messages are separate items that Yjs cannot merge. Runs in
 * Node and in the browser; the same arguments give the same document.
 */
export function roomDoc(count: number, shape: RoomShape = {}): Y.Doc {
  const doc = new Y.Doc();
  const random = seededRandom(count);
  const members = 40;
  const authors = Array.from({ length: members }, (_, i) => (shape.perSession ? uuid(random) : `user-${i}`));
  const clients = Array.from({ length: members }, (_, i) => 1_000_000 + i);
  const ts = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const member = i % members;
    const turn = Math.floor(i / members);
    // A fixture shortcut: one doc writing as many clients gives the same items as many devices.
    doc.clientID = shape.perSession ? 2_000_000 + member * 100_000 + Math.floor(turn / shape.perSession) : clients[member]!;
    sendMessage(doc, { author: authors[member]!, text: TEXT, ts: ts + i, id: shape.perSession ? uuid(random) : `m${i}` });
  }
  return doc;
}
