import type * as Y from 'yjs';
import { roomTypes, type ChatMessage } from '$lib/chat/schema';
import { asChatMessage } from '$lib/chat/values';
import { appendedElements } from './appended';
import { deliveryStatus, locateElements, type AckTracker, type DeliveryStatus, type LocatedElement, type StructId } from './delivery';

/** A message as the room view shows it. */
export interface RoomMessage {
  id: string;
  author: string;
  text: string;
  ts: number;
  replyTo: string | null;
  /** Forwarded from another room by its author. */
  forwarded: boolean;
  status: DeliveryStatus;
}

/**
 * The messages of one room document, in document order with delivery state, kept up to
 * date as the doc changes. An append (nearly every change) costs the appended messages
 * only; anything else (a concurrent insert in the middle, a removal) walks the array once.
 */
export class MessageLog {
  #messages = $state.raw<RoomMessage[]>([]);
  readonly #tracker: AckTracker;
  #array: Y.Array<unknown> | null = null;
  /** Every element of the array, well-formed or not, so Yjs deltas line up with it. */
  #located: LocatedElement<unknown>[] = [];
  /** The struct id of each of `#messages`, for delivery state. */
  #structIds: StructId[] = [];
  /** Message id -> index in `#messages`; read with `messages`, which is the reactive part. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- an index rebuilt with `#messages`, never read on its own by the UI
  readonly #positions = new Map<string, number>();

  constructor(tracker: AckTracker) {
    this.#tracker = tracker;
  }

  get messages(): RoomMessage[] {
    return this.#messages;
  }

  /** Where message `id` is in `messages`, or -1. */
  positionOf(id: string): number {
    return this.#positions.get(id) ?? -1;
  }

  /** Follows `doc` from now on (instead of any doc followed before). */
  follow(doc: Y.Doc): void {
    this.stop();
    this.#array = roomTypes(doc).messages as Y.Array<unknown>;
    this.#array.observe(this.#onChange);
    this.#walk();
  }

  /**
   * Stops following and lets go of the list: a room back in the background (kept for the room
   * list only) holds no copy of its messages; `follow` walks the doc again.
   */
  stop(): void {
    this.#array?.unobserve(this.#onChange);
    this.#array = null;
    this.#located = [];
    this.#structIds = [];
    this.#positions.clear();
    if (this.#messages.length > 0) this.#messages = [];
  }

  /** Acks moved: only pending messages can change, every other object stays as it is. */
  refreshDelivery(): void {
    let changed = false;
    const next = this.#messages.map((message, i) => {
      if (message.status === 'sent') return message;
      const status = deliveryStatus(this.#tracker, this.#structIds[i]!);
      if (status === message.status) return message;
      changed = true;
      return { ...message, status };
    });
    if (changed) this.#messages = next;
  }

  readonly #onChange = (event: Y.YArrayEvent<unknown>) => {
    const appended = appendedElements(event, this.#located.length);
    if (!appended) {
      this.#walk();
      return;
    }
    this.#located.push(...appended);
    const added: RoomMessage[] = [];
    for (const element of appended) {
      const message = asChatMessage(element.value);
      if (!message) continue;
      this.#positions.set(message.id, this.#messages.length + added.length);
      this.#structIds.push(element.id);
      added.push(this.#toRoomMessage(message, element.id));
    }
    if (added.length > 0) this.#messages = [...this.#messages, ...added];
  };

  #walk(): void {
    if (!this.#array) return;
    this.#located = locateElements(this.#array);
    const messages: RoomMessage[] = [];
    this.#positions.clear();
    this.#structIds = [];
    for (const element of this.#located) {
      const message = asChatMessage(element.value);
      if (!message) continue;
      this.#positions.set(message.id, messages.length);
      this.#structIds.push(element.id);
      messages.push(this.#toRoomMessage(message, element.id));
    }
    this.#messages = messages;
  }

  #toRoomMessage(message: ChatMessage, id: StructId): RoomMessage {
    return {
      id: message.id,
      author: message.author,
      text: message.text,
      ts: message.ts,
      replyTo: message.replyTo ?? null,
      forwarded: message.forwarded === true,
      status: deliveryStatus(this.#tracker, id)
    };
  }
}
