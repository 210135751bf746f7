import type { Sql } from 'postgres';
import type { ChatMessage } from '../../src/lib/chat/schema';
import type { Recipient } from '../../src/lib/server/push/notification-settings';
import { forgetEndpoint } from '../../src/lib/server/push/subscriptions';
import { loadVapidKeys, type VapidKeys } from '../../src/lib/server/push/vapid';
import type { Logger } from '../log';
import { PushAudiences, type PushAudiencesOptions } from './push-audiences';
import { PushQueue, type PushQueueOptions } from './push-queue';
import { preview, sendPush, type PushMessage } from './push-sender';

export interface PushOptions {
  /** Accept http and loopback push endpoints (PUSH_ALLOW_INSECURE=1). @default false */
  allowInsecure: boolean;
  /** VAPID contact (PUSH_SUBJECT). @default 'mailto:push@porch.invalid' */
  subject: string;
  queue?: Partial<PushQueueOptions>;
  audiences?: Partial<PushAudiencesOptions>;
}

export const defaultPushOptions: PushOptions = { allowInsecure: false, subject: 'mailto:push@porch.invalid' };

const MENTION = /(?:^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+)/g;

/**
 * The lower-cased names `text` mentions with @name, read in one pass (one regex per message,
 * not one per member: the profile showed a RegExp compiled per member per message).
 * A trailing full stop ends the sentence, not the name.
 */
function mentionedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) names.add(match[1]!.replace(/\.+$/, '').toLowerCase());
  return names;
}

/** Whether `text` mentions `@username` (case-insensitive, not inside a longer name). */
export function mentions(text: string, username: string): boolean {
  return mentionedNames(text).has(username.toLowerCase());
}

/** Who among `members` a message notifies, and how urgently; the author and active people never. */
export function recipientsOf(
  message: ChatMessage,
  members: Recipient[],
  active: ReadonlySet<string>,
  isDm: boolean
): { userId: string; urgency: 'high' | 'normal' }[] {
  const out: { userId: string; urgency: 'high' | 'normal' }[] = [];
  const named = mentionedNames(message.text);
  for (const m of members) {
    if (m.userId === message.author || active.has(m.userId)) continue;
    const mentioned = named.has(m.username.toLowerCase());
    if (m.muted && !(mentioned && m.mentions)) continue;
    out.push({ userId: m.userId, urgency: isDm || mentioned ? 'high' : 'normal' });
  }
  return out;
}

/**
 * Decides who hears about newly stored messages and hands the notifications to the push
 * queue. Called by a room after the update carrying them is durable; everything here runs
 * after that call returns, off the room's hot path.
 */
export class PushNotifier {
  readonly #sql: Sql;
  readonly #log: Logger;
  readonly #options: PushOptions;
  readonly #queue: PushQueue;
  readonly #audiences: PushAudiences;
  readonly #lookups = new Set<Promise<void>>();
  #vapid: Promise<VapidKeys> | null = null;

  constructor(sql: Sql, log: Logger, options: Partial<PushOptions> = {}) {
    this.#sql = sql;
    this.#log = log;
    this.#options = { ...defaultPushOptions, ...options };
    this.#audiences = new PushAudiences(sql, this.#options.audiences);
    this.#queue = new PushQueue(
      log,
      async (endpoint) => {
        await forgetEndpoint(sql, endpoint);
        this.#audiences.invalidate(null);
      },
      this.#options.queue
    );
  }

  /**
   * Who a room notifies changed (membership, a member's settings: `roomId`; a device was
   * added or removed: `null` for every room). Must be called by whatever changes them.
   */
  audienceChanged(roomId: string | null): void {
    this.#audiences.invalidate(roomId);
  }

  /** Notifications waiting or being sent (tests wait for 0). */
  get pending(): number {
    return this.#lookups.size + this.#queue.pending;
  }

  /** False once the room's audience is known to have no device (no push can follow). */
  mayNotify(roomId: string): boolean {
    return this.#audiences.mayHaveDevices(roomId);
  }

  /**
   * New messages of `roomId` are stored. `active` are the users with a visible Porch on
   * that room right now (awareness `active: true`), taken at the durable point.
   */
  messagesStored(roomId: string, messages: ChatMessage[], author: { id: string; username: string }, active: ReadonlySet<string>): void {
    if (messages.length === 0) return;
    const lookup = this.#enqueue(roomId, messages, author, active).catch((err: unknown) => {
      this.#log.error('could not prepare push notifications', { room: roomId, error: err });
    });
    this.#lookups.add(lookup);
    void lookup.finally(() => this.#lookups.delete(lookup));
  }

  async #enqueue(roomId: string, messages: ChatMessage[], author: { id: string; username: string }, active: ReadonlySet<string>): Promise<void> {
    const room = await this.#audiences.get(roomId);
    // Most rooms of a busy server: nobody in them has a device to notify.
    if (!room || room.devices.size === 0) return;
    const isDm = room.kind === 'dm';
    const plans = messages.map((message) => ({ message, to: recipientsOf(message, room.members, active, isDm) }));
    if (plans.every((p) => p.to.length === 0)) return;
    const vapid = await this.#keys();
    const sender = { vapid, subject: this.#options.subject, allowInsecure: this.#options.allowInsecure };
    for (const { message, to } of plans) {
      for (const { userId, urgency } of to) {
        const push: PushMessage = {
          urgency,
          payload: {
            roomId,
            // A DM's stored name lists both people; the reader knows it by the other one.
            roomName: isDm ? author.username : room.name,
            messageId: message.id,
            author: author.username,
            preview: preview(message.text)
          }
        };
        for (const sub of room.devices.get(userId) ?? []) {
          this.#queue.enqueue({ endpoint: sub.endpoint, roomId, userId, send: () => sendPush(sub, push, sender) });
        }
      }
    }
  }

  #keys(): Promise<VapidKeys> {
    this.#vapid ??= loadVapidKeys(this.#sql).catch((err: unknown) => {
      this.#vapid = null;
      throw err;
    });
    return this.#vapid;
  }

  /** Lets lookups finish, then closes the queue (no timers left). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#lookups]);
    await this.#queue.close();
  }
}
