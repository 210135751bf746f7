import { applyEdit } from '$lib/chat/edits';
import { summarizeRoom } from '$lib/chat/room-summary';
import type { ComposerContext } from '$lib/components/Composer.svelte';
import { ReadTracker } from '$lib/sync/read-tracker';
import type { RoomMessage } from '$lib/sync/message-log.svelte';
import type { RoomSync } from '$lib/sync/room-sync.svelte';
import type { RoomLease, RoomSyncs } from '$lib/sync/room-syncs';
import { RoomView } from '$lib/sync/room-view.svelte';
import type { EditEntry, RoomRole } from '$lib/chat/schema';
import { PendingAction } from '$lib/ui/pending-action.svelte';

/**
 * One open room as the page needs it: the sync (a foreground lease: the room list's own
 * `RoomSync` when the room is among its live ones), and once local history is loaded, the
 * view (edits, reactions, reads), the read tracker and the first unread message at opening.
 * The composer's reply/edit context lives here too, and the room's action waiting for Undo.
 */
export class OpenRoom {
  readonly sync: RoomSync;
  readonly #lease: RoomLease;
  readonly #cancelReady: () => void;
  #view = $state.raw<RoomView | null>(null);
  #firstUnread = $state<string | null>(null);
  #tracker: ReadTracker | null = null;
  context = $state.raw<ComposerContext | null>(null);
  /** A delete (or removal) waiting for its Undo; done before the room is let go. */
  readonly pending = new PendingAction();
  readonly #me: { id: string; username: string; role: RoomRole };

  constructor(syncs: RoomSyncs, roomId: string, me: { id: string; username: string; role: RoomRole }) {
    this.#me = me;
    this.#lease = syncs.lease(roomId, { foreground: true });
    this.sync = this.#lease.sync;
    this.#cancelReady = this.sync.onReady((doc) => {
      this.#firstUnread = summarizeRoom(doc, me.id).firstUnread;
      const view = new RoomView(doc, { id: me.id, role: me.role });
      this.#view = view;
      this.#tracker = new ReadTracker({ positionOf: (id) => this.sync.positionOf(id), mark: (id) => view.markRead(id) });
    });
  }

  get view(): RoomView | null {
    return this.#view;
  }

  get firstUnread(): string | null {
    return this.#firstUnread;
  }

  /** The list reports what is on screen. */
  seen(messageId: string, visible: boolean): void {
    if (this.sync.writable) this.#tracker?.seen(messageId, visible);
  }

  /** Sends, or saves an edit, depending on the composer's context. */
  submit(text: string): boolean {
    const context = this.context;
    if (context?.kind === 'edit') {
      const edited = this.#view?.edit(context.id, text);
      if (!edited?.ok) return false;
      this.context = null;
      return true;
    }
    const sent = this.sync.send(text, { replyTo: context?.kind === 'reply' ? context.id : undefined });
    if (sent.ok) this.context = null;
    return sent.ok;
  }

  reply(message: RoomMessage, authorName: string, text: string): void {
    this.context = { kind: 'reply', id: message.id, author: authorName, text };
  }

  edit(message: RoomMessage, text: string): void {
    this.context = { kind: 'edit', id: message.id, author: this.#me.username, text };
  }

  /** A message deleted on this device is shown so at once, while its Undo is offered. */
  editOf(messageId: string): EditEntry | undefined {
    if (this.pending.hides(`message:${messageId}`)) return { deleted: true, ts: 0 };
    return this.#view?.editOf(messageId);
  }

  /** Hides the message now and deletes it once Undo is no longer offered. */
  remove(messageId: string): void {
    const view = this.#view;
    if (!view) return;
    this.pending.start({ key: `message:${messageId}`, label: 'Message deleted', commit: () => void view.remove(messageId) });
  }

  /** Starts editing one's own last (not deleted) message; false when there is none. */
  editLast(): boolean {
    const view = this.#view;
    const at = this.#lastOwnIndex();
    if (!view || at < 0) return false;
    const message = this.sync.messages[at]!;
    this.edit(message, view.textOf(message));
    return true;
  }

  /** Who has read one's own last (not deleted) message, by display name. */
  seenBy(nameOf: (id: string) => string): { messageId: string; names: string[] } | null {
    const view = this.#view;
    const at = this.#lastOwnIndex();
    if (!view || at < 0) return null;
    const names: string[] = [];
    for (const [userId, marker] of view.reads) {
      if (userId !== this.#me.id && this.sync.positionOf(marker.id) >= at) names.push(nameOf(userId));
    }
    return { messageId: this.sync.messages[at]!.id, names: names.sort() };
  }

  #lastOwnIndex(): number {
    if (!this.#view) return -1;
    const messages = this.sync.messages;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.author !== this.#me.id) continue;
      if (applyEdit(message, this.editOf(message.id)).deletedAt !== null) continue;
      return i;
    }
    return -1;
  }

  /** Lets go of the room: it stays open if the room list keeps it live. */
  destroy(): void {
    this.pending.destroy();
    this.#cancelReady();
    this.#tracker?.destroy();
    this.#view?.destroy();
    this.#lease.release();
  }
}
