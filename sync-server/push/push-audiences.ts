import type { Sql } from 'postgres';
import { roomRecipients, type Recipient } from '../../src/lib/server/push/notification-settings';
import { subscriptionsOf, type StoredSubscription } from '../../src/lib/server/push/subscriptions';

/** Who a room's new messages may notify, and on which devices. */
export interface PushAudience {
  name: string;
  kind: 'group' | 'dm';
  members: Recipient[];
  /** Devices per member; members without one are absent. */
  devices: ReadonlyMap<string, StoredSubscription[]>;
}

export interface PushAudiencesOptions {
  /**
   * Entries older than this are read again: a safety net for a change whose event was
   * lost (Redis pub/sub delivers at most once). @default 60 s
   */
  maxAgeMs: number;
  /** Rooms kept; the oldest entry goes first. @default 10,000 */
  maxRooms: number;
}

interface Entry {
  loadedAt: number;
  audience: Promise<PushAudience | null>;
  /** The audience once read (a room that no longer exists counts as nobody). */
  settled?: PushAudience;
}

/**
 * Each room's push audience, read from Postgres once and kept until something changes it
 * (membership, notification settings, subscriptions: `invalidate`). Reading it for every
 * message took three queries per message, and the loopback socket writes of those
 * queries were a third of the server's busy time in the fan-out profile.
 */
export class PushAudiences {
  readonly #sql: Sql;
  readonly #options: PushAudiencesOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(sql: Sql, options: Partial<PushAudiencesOptions> = {}) {
    this.#sql = sql;
    this.#options = { maxAgeMs: 60_000, maxRooms: 10_000, ...options };
  }

  get(roomId: string): Promise<PushAudience | null> {
    const now = Date.now();
    const cached = this.#entries.get(roomId);
    if (cached && now - cached.loadedAt < this.#options.maxAgeMs) return cached.audience;
    const entry: Entry = { loadedAt: now, audience: this.#load(roomId) };
    entry.audience.then(
      (audience) => {
        entry.settled = audience ?? { name: '', kind: 'group', members: [], devices: new Map() };
      },
      () => {
        // A failed read is not kept: the next message tries again.
        if (this.#entries.get(roomId) === entry) this.#entries.delete(roomId);
      }
    );
    this.#entries.delete(roomId);
    this.#entries.set(roomId, entry);
    if (this.#entries.size > this.#options.maxRooms) this.#entries.delete(this.#entries.keys().next().value!);
    return entry.audience;
  }

  /** False only when the room's audience is read, current and has no device at all. */
  mayHaveDevices(roomId: string): boolean {
    const entry = this.#entries.get(roomId);
    if (!entry?.settled || Date.now() - entry.loadedAt >= this.#options.maxAgeMs) return true;
    return entry.settled.devices.size > 0;
  }

  /** Forgets one room's audience, or every room's (`null`: a device or user changed). */
  invalidate(roomId: string | null): void {
    if (roomId === null) this.#entries.clear();
    else this.#entries.delete(roomId);
  }

  async #load(roomId: string): Promise<PushAudience | null> {
    const room = await roomRecipients(this.#sql, roomId);
    if (!room) return null;
    const devices = new Map<string, StoredSubscription[]>();
    for (const sub of await subscriptionsOf(this.#sql, room.members.map((m) => m.userId))) {
      const list = devices.get(sub.userId);
      if (list) list.push(sub);
      else devices.set(sub.userId, [sub]);
    }
    return { ...room, devices };
  }
}
