import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from '../log';

/** What travels between instances on a room's channel. */
export type FanoutMessage =
  | { kind: 'update'; roomId: string; update: Uint8Array; writerId: string }
  | { kind: 'awareness'; roomId: string; update: Uint8Array };

/** Access changes every instance must act on (a member removed, a room deleted, who a room notifies, sessions ended). */
export type AccessMessage =
  | { kind: 'member-removed'; roomId: string; userId: string }
  | { kind: 'room-deleted'; roomId: string }
  | { kind: 'audience-changed'; roomId: string | null }
  | { kind: 'sessions-ended'; userId: string }
  | { kind: 'session-ended'; sessionId: string }
  | { kind: 'rooms-changed'; userIds: string[] }
  | { kind: 'role-changed'; roomId: string; userId: string };

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const ACCESS_CHANNEL = 'porch:access';
const roomChannel = (roomId: string) => `porch:room:${roomId}`;

/**
 * Room fan-out across server instances over Redis pub/sub. An instance subscribes only to
 * the rooms it holds; every message carries the sender's instance id so it skips its own.
 * Frames are binary: varUint kind, varString instance, varString room, then the payload.
 */
export class RedisFanout {
  readonly instanceId = randomUUID();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #log: Logger;
  readonly #rooms = new Map<string, (message: FanoutMessage) => void>();
  #onAccess: (message: AccessMessage) => void = () => {};

  constructor(url: string, log: Logger) {
    this.#log = log;
    // Commands queue while Redis is away and go out when it is back; pub/sub resubscribes.
    this.#pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    this.#sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const client of [this.#pub, this.#sub]) client.on('error', (err: Error) => log.warn('redis error', { error: err }));
    this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel.toString(), message));
  }

  async connect(): Promise<void> {
    await Promise.all([this.#pub.connect(), this.#sub.connect()]);
    await this.#sub.subscribe(ACCESS_CHANNEL);
  }

  onAccess(handler: (message: AccessMessage) => void): void {
    this.#onAccess = handler;
  }

  /** Starts delivering the room's messages to `handler`; resolves once subscribed. */
  async subscribe(roomId: string, handler: (message: FanoutMessage) => void): Promise<void> {
    this.#rooms.set(roomId, handler);
    await this.#sub.subscribe(roomChannel(roomId));
  }

  unsubscribe(roomId: string): void {
    this.#rooms.delete(roomId);
    this.#sub.unsubscribe(roomChannel(roomId)).catch((err: unknown) => this.#log.warn('redis unsubscribe failed', { room: roomId, error: err }));
  }

  publishUpdate(roomId: string, update: Uint8Array, writerId: string): void {
    const encoder = this.#header(KIND_UPDATE, roomId);
    encoding.writeVarString(encoder, writerId);
    encoding.writeVarUint8Array(encoder, update);
    this.#publish(roomChannel(roomId), encoding.toUint8Array(encoder));
  }

  publishAwareness(roomId: string, update: Uint8Array): void {
    const encoder = this.#header(KIND_AWARENESS, roomId);
    encoding.writeVarUint8Array(encoder, update);
    this.#publish(roomChannel(roomId), encoding.toUint8Array(encoder));
  }

  publishAccess(message: AccessMessage): void {
    this.#publish(ACCESS_CHANNEL, Buffer.from(JSON.stringify({ from: this.instanceId, ...message })));
  }

  async close(): Promise<void> {
    this.#rooms.clear();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
  }

  #header(kind: number, roomId: string): encoding.Encoder {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, this.instanceId);
    encoding.writeVarString(encoder, roomId);
    return encoder;
  }

  #publish(channel: string, payload: Uint8Array): void {
    this.#pub.publish(channel, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).catch((err: unknown) => {
      // Other instances' clients catch up from Postgres on their next sync; nothing is lost.
      this.#log.warn('redis publish failed', { channel, error: err });
    });
  }

  #receive(channel: string, message: Buffer): void {
    try {
      if (channel === ACCESS_CHANNEL) {
        const parsed = JSON.parse(message.toString()) as AccessMessage & { from: string };
        if (parsed.from !== this.instanceId) this.#onAccess(parsed);
        return;
      }
      const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
      const kind = decoding.readVarUint(decoder);
      if (decoding.readVarString(decoder) === this.instanceId) return;
      const roomId = decoding.readVarString(decoder);
      const handler = this.#rooms.get(roomId);
      if (!handler) return;
      if (kind === KIND_UPDATE) {
        const writerId = decoding.readVarString(decoder);
        handler({ kind: 'update', roomId, writerId, update: decoding.readVarUint8Array(decoder) });
      } else if (kind === KIND_AWARENESS) {
        handler({ kind: 'awareness', roomId, update: decoding.readVarUint8Array(decoder) });
      }
    } catch (err) {
      this.#log.warn('bad fan-out message', { channel, error: err });
    }
  }
}
