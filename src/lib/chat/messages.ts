import type * as Y from 'yjs';
import { MAX_MESSAGE_LENGTH, roomTypes, type ChatMessage } from './schema';

export type SendResult = { ok: true; message: ChatMessage } | { ok: false; error: 'empty' | 'too-long' };

export interface SendInput {
  author: string;
  text: string;
  replyTo?: string | undefined;
  /** Defaults to now; tests pass their own. */
  ts?: number;
  /** Defaults to a random UUID. */
  id?: string;
}

/** Checks a text for sending: trimmed ends, not empty, at most MAX_MESSAGE_LENGTH. */
export function validateText(text: string): { ok: true; text: string } | { ok: false; error: 'empty' | 'too-long' } {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, error: 'empty' };
  if (trimmed.length > MAX_MESSAGE_LENGTH) return { ok: false, error: 'too-long' };
  return { ok: true, text: trimmed };
}

/** Appends a message to the room document. */
export function sendMessage(doc: Y.Doc, input: SendInput): SendResult {
  const checked = validateText(input.text);
  if (!checked.ok) return checked;
  const message: ChatMessage = {
    id: input.id ?? crypto.randomUUID(),
    author: input.author,
    text: checked.text,
    ts: input.ts ?? Date.now()
  };
  if (input.replyTo) message.replyTo = input.replyTo;
  const { messages } = roomTypes(doc);
  // insert at length, not push: push walks the whole list on every append.
  messages.insert(messages.length, [message]);
  return { ok: true, message };
}

/** The messages in document order (the order every replica converges to). */
export function listMessages(doc: Y.Doc): ChatMessage[] {
  return roomTypes(doc).messages.toArray();
}
