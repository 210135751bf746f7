import * as Y from 'yjs';
import { encodeFrame } from '../../src/lib/protocol/frames';
import type { Connection } from './connection';
import { frameBinary } from './framed';

/**
 * Stored updates on their way to a room's other connections (SPEC 8). Updates that became
 * durable together (one group commit, so one microtask) go out as one merged update per
 * socket: one write instead of one per update, which is most of the cost of a busy room.
 * A broadcast is framed once and the same bytes go to every receiver.
 */
export class Outbox {
  readonly #connections: ReadonlySet<Connection>;
  #queued: { update: Uint8Array; from: Connection | null }[] = [];

  constructor(connections: ReadonlySet<Connection>) {
    this.#connections = connections;
  }

  /** Queues `update` for every connection but `from` (null: for everyone, e.g. another instance's). */
  send(update: Uint8Array, from: Connection | null): void {
    this.#queued.push({ update, from });
    if (this.#queued.length === 1) queueMicrotask(this.#flush);
  }

  /** Forgets what is queued (the room failed: nothing more goes out). */
  clear(): void {
    this.#queued = [];
  }

  readonly #flush = (): void => {
    const queued = this.#queued;
    this.#queued = [];
    const connections = this.#connections;
    // Nobody but the writer here (its peers are away): nothing to frame.
    const alone = connections.size === 1 && queued.every((q) => q.from !== null && connections.has(q.from));
    if (queued.length === 0 || alone || connections.size === 0) return;
    if (queued.length === 1) {
      const { update, from } = queued[0]!;
      const frame = frameBinary(encodeFrame({ kind: 'update', update }));
      for (const c of connections) if (c !== from) c.sendFramed(frame);
      return;
    }
    const writers = new Set(queued.map((q) => q.from));
    const all = frameBinary(encodeFrame({ kind: 'update', update: Y.mergeUpdates(queued.map((q) => q.update)) }));
    for (const c of connections) {
      if (!writers.has(c)) c.sendFramed(all);
      else {
        // A writer gets everything but its own updates (it has them).
        const others = queued.filter((q) => q.from !== c).map((q) => q.update);
        if (others.length > 0) c.send(encodeFrame({ kind: 'update', update: others.length === 1 ? others[0]! : Y.mergeUpdates(others) }));
      }
    }
  };
}
