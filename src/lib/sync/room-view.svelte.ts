/* eslint-disable svelte/prefer-svelte-reactivity -- the plain Maps and Sets here are scratch or the
   non-reactive source of the SvelteMaps, which are what the UI reads */
import { SvelteMap } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { applyEdit, deleteMessage, editMessage, type EditResult } from '$lib/chat/edits';
import { groupReactions, react, unreact, type ReactionSummary, type ReactResult } from '$lib/chat/reactions';
import { markRead } from '$lib/chat/reads';
import { listRoomEvents, type KeyedRoomEvent } from '$lib/chat/room-events';
import { mayDeleteMessage } from '$lib/chat/roles';
import { roomTypes, type EditEntry, type ReadMarker, type RoomRole } from '$lib/chat/schema';
import { asEditEntry, asReadMarker, parseReactionKey } from '$lib/chat/values';

/**
 * Everything about a room's messages besides the messages: edits, reactions and read
 * markers, each kept per key (a change re-renders only the messages it touches), and the
 * writes on them, all through the pure ops in `$lib/chat` so the server accepts them.
 */
export class RoomView {
  readonly #doc: Y.Doc;
  readonly #userId: string;
  readonly #role: RoomRole;
  readonly #types: ReturnType<typeof roomTypes>;
  readonly #edits = new SvelteMap<string, EditEntry>();
  readonly #reactions = new SvelteMap<string, ReactionSummary[]>();
  readonly #reads = new SvelteMap<string, ReadMarker>();
  #events = $state.raw<KeyedRoomEvent[]>([]);
  /** messageId -> reaction key -> { emoji, userId, ts }; the source of `#reactions`. */
  readonly #reactionKeys = new Map<string, Map<string, { emoji: string; userId: string; ts: number }>>();

  constructor(doc: Y.Doc, user: { id: string; role: RoomRole }) {
    this.#doc = doc;
    this.#userId = user.id;
    this.#role = user.role;
    this.#types = roomTypes(doc);
    for (const key of this.#types.edits.keys()) this.#syncEdit(key);
    for (const key of this.#types.reads.keys()) this.#syncRead(key);
    const touched = new Set<string>();
    for (const key of this.#types.reactions.keys()) this.#syncReactionKey(key, touched);
    for (const id of touched) this.#publishReactions(id);
    this.#types.edits.observe(this.#onEdits);
    this.#types.reads.observe(this.#onReads);
    this.#events = listRoomEvents(this.#types.events);
    this.#types.events.observe(this.#onEvents);
    this.#types.reactions.observe(this.#onReactions);
  }

  /** The edit of a message, if any (`{ deleted: true }` when deleted). */
  editOf(messageId: string): EditEntry | undefined {
    return this.#edits.get(messageId);
  }

  /** A message's text with its edit applied ('' once deleted). */
  textOf(message: { id: string; text: string }): string {
    return applyEdit(message, this.#edits.get(message.id)).text;
  }

  /** A message's reactions grouped by emoji, in the order each emoji was first used. */
  reactionsOf(messageId: string): ReactionSummary[] {
    return this.#reactions.get(messageId) ?? [];
  }

  /** Membership and settings changes, oldest first (SPEC 7.9). */
  get events(): KeyedRoomEvent[] {
    return this.#events;
  }

  /** Read markers by user id. */
  get reads(): ReadonlyMap<string, ReadMarker> {
    return this.#reads;
  }

  /** Whether this user may delete the message (their own, or anyone's as a moderator). */
  canDelete(author: string): boolean {
    return mayDeleteMessage({ id: this.#userId, role: this.#role }, author);
  }

  edit(messageId: string, text: string): EditResult {
    return editMessage(this.#doc, { messageId, userId: this.#userId, text });
  }

  remove(messageId: string): EditResult {
    return deleteMessage(this.#doc, { messageId, userId: this.#userId, role: this.#role });
  }

  /** Adds this user's `emoji` to the message, or takes it back if it is there. */
  toggleReaction(messageId: string, emoji: string): ReactResult {
    const mine = this.reactionsOf(messageId).some((r) => r.emoji === emoji && r.userIds.includes(this.#userId));
    if (!mine) return react(this.#doc, { messageId, emoji, userId: this.#userId });
    unreact(this.#doc, { messageId, emoji, userId: this.#userId });
    return { ok: true };
  }

  /** Moves this user's read marker forward to `messageId`; returns whether it moved. */
  markRead(messageId: string): boolean {
    return markRead(this.#doc, { userId: this.#userId, messageId });
  }

  destroy(): void {
    this.#types.edits.unobserve(this.#onEdits);
    this.#types.reads.unobserve(this.#onReads);
    this.#types.events.unobserve(this.#onEvents);
    this.#types.reactions.unobserve(this.#onReactions);
  }

  readonly #onEdits = (event: Y.YMapEvent<EditEntry>) => {
    for (const key of event.keysChanged) this.#syncEdit(key);
  };

  // Few and rare (membership changes): read again whole.
  readonly #onEvents = () => {
    this.#events = listRoomEvents(this.#types.events);
  };

  readonly #onReads = (event: Y.YMapEvent<ReadMarker>) => {
    for (const key of event.keysChanged) this.#syncRead(key);
  };

  readonly #onReactions = (event: Y.YMapEvent<number>) => {
    const touched = new Set<string>();
    for (const key of event.keysChanged) this.#syncReactionKey(key, touched);
    for (const id of touched) this.#publishReactions(id);
  };

  #syncEdit(key: string): void {
    const entry = asEditEntry(this.#types.edits.get(key));
    if (entry) this.#edits.set(key, entry);
    else this.#edits.delete(key);
  }

  #syncRead(key: string): void {
    const marker = asReadMarker(this.#types.reads.get(key));
    if (marker) this.#reads.set(key, marker);
    else this.#reads.delete(key);
  }

  #syncReactionKey(key: string, touched: Set<string>): void {
    const parsed = parseReactionKey(key);
    // not a valid key (or not one emoji): never shown
    if (!parsed) return;
    const ts = this.#types.reactions.get(key);
    let keys = this.#reactionKeys.get(parsed.messageId);
    if (typeof ts === 'number') {
      if (!keys) this.#reactionKeys.set(parsed.messageId, (keys = new Map()));
      keys.set(key, { emoji: parsed.emoji, userId: parsed.userId, ts });
    } else keys?.delete(key);
    touched.add(parsed.messageId);
  }

  #publishReactions(messageId: string): void {
    const found = [...(this.#reactionKeys.get(messageId)?.values() ?? [])];
    const groups = groupReactions(found);
    if (groups.length === 0) this.#reactions.delete(messageId);
    else this.#reactions.set(messageId, groups);
  }
}
