import type * as Y from 'yjs';
import { validateText } from './messages';
import { mayDeleteMessage } from './roles';
import { roomTypes, type ChatMessage, type EditEntry, type RoomRole } from './schema';
import { asChatMessage, asEditEntry } from './values';

/**
 * Editing and deleting messages. Both write the `edits` entry of the message and leave the
 * `messages` element where it is, so "Message deleted" shows in place (docs/write-rules.md).
 */

/** Whether and when a message was edited or deleted. */
export interface EditState {
  /** When it was last edited, if it was. */
  editedAt: number | null;
  /** When it was deleted, if it was; `text` is then empty. */
  deletedAt: number | null;
}

/** A message as readers show it: edits applied. */
export interface MessageView extends ChatMessage, EditState {}

/**
 * The one "edit applied" rule: what a message shows once its `edits` entry (if any) is
 * applied. An edit replaces the text; a deletion empties it.
 * The message list, replies' quotes, the room list's last message and the composer's
 * "edit" all read a message through here.
 */
export function applyEdit<M extends { text: string }>(message: M, edit: EditEntry | null | undefined): M & EditState {
  if (!edit) return { ...message, editedAt: null, deletedAt: null };
  if ('deleted' in edit) return { ...message, text: '', editedAt: null, deletedAt: edit.ts };
  return { ...message, text: edit.text, editedAt: edit.ts, deletedAt: null };
}

export type EditResult = { ok: true } | { ok: false; error: 'not-found' | 'forbidden' | 'deleted' | 'empty' | 'too-long' };

/** Finds a live message by id (newest first: edits are mostly of recent messages). */
export function findMessage(doc: Y.Doc, messageId: string): ChatMessage | null {
  const { messages } = roomTypes(doc);
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = asChatMessage(messages.get(i));
    if (message?.id === messageId) return message;
  }
  return null;
}

function isDeleted(doc: Y.Doc, messageId: string): boolean {
  const entry = asEditEntry(roomTypes(doc).edits.get(messageId));
  return entry !== null && 'deleted' in entry;
}

/** Replaces the text of one's own message. A deleted message stays deleted. */
export function editMessage(doc: Y.Doc, input: { messageId: string; userId: string; text: string; ts?: number }): EditResult {
  const message = findMessage(doc, input.messageId);
  if (!message) return { ok: false, error: 'not-found' };
  if (message.author !== input.userId) return { ok: false, error: 'forbidden' };
  if (isDeleted(doc, input.messageId)) return { ok: false, error: 'deleted' };
  const checked = validateText(input.text);
  if (!checked.ok) return checked;
  roomTypes(doc).edits.set(input.messageId, { text: checked.text, ts: input.ts ?? Date.now() });
  return { ok: true };
}

/** Deletes a message for everyone: its author may, and so may a room's owner or admins. */
export function deleteMessage(doc: Y.Doc, input: { messageId: string; userId: string; role: RoomRole; ts?: number }): EditResult {
  const message = findMessage(doc, input.messageId);
  if (!message) return { ok: false, error: 'not-found' };
  if (!mayDeleteMessage({ id: input.userId, role: input.role }, message.author)) return { ok: false, error: 'forbidden' };
  if (isDeleted(doc, input.messageId)) return { ok: true };
  roomTypes(doc).edits.set(input.messageId, { deleted: true, ts: input.ts ?? Date.now() });
  return { ok: true };
}

/** The messages in document order with their edits applied; malformed elements are skipped. */
export function viewMessages(doc: Y.Doc): MessageView[] {
  const { messages, edits } = roomTypes(doc);
  const out: MessageView[] = [];
  for (const raw of messages.toArray()) {
    const message = asChatMessage(raw);
    if (!message) continue;
    out.push(applyEdit(message, asEditEntry(edits.get(message.id))));
  }
  return out;
}
