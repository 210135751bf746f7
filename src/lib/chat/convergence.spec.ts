import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, editMessage, viewMessages } from './edits';
import { sendMessage } from './messages';
import { react, unreact } from './reactions';
import { markRead } from './reads';
import { roomTypes, type RoomRole } from './schema';
import { JudgedDoc } from './test-harness';

/**
 * Property: honest people, each on their own replica, going offline and online at random
 * (updates buffered, then flushed; deliveries held back, then applied), always converge —
 * and the server's write rules never refuse any of their updates.
 */

const USERS: { id: string; role: RoomRole }[] = [
  { id: 'owner', role: 'owner' },
  { id: 'ana', role: 'member' },
  { id: 'bo', role: 'member' }
];
const EMOJI = ['👍', '🎉', '❤️', '👩🏽‍💻'];

type Command =
  | { kind: 'send'; who: number; text: string }
  | { kind: 'edit'; who: number; pick: number; text: string }
  | { kind: 'delete'; who: number; pick: number }
  | { kind: 'react'; who: number; pick: number; emoji: number; off: boolean }
  | { kind: 'read'; who: number; pick: number }
  | { kind: 'flush'; who: number }
  | { kind: 'deliver'; who: number };

const who = fc.integer({ min: 0, max: USERS.length - 1 });
const pick = fc.nat(20);
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t.trim().length > 0);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), who, text }),
  fc.record({ kind: fc.constant('edit' as const), who, pick, text }),
  fc.record({ kind: fc.constant('delete' as const), who, pick }),
  fc.record({ kind: fc.constant('react' as const), who, pick, emoji: fc.nat(EMOJI.length - 1), off: fc.boolean() }),
  fc.record({ kind: fc.constant('read' as const), who, pick }),
  fc.record({ kind: fc.constant('flush' as const), who }),
  fc.record({ kind: fc.constant('deliver' as const), who })
);

interface Replica {
  doc: Y.Doc;
  outbox: Uint8Array[];
  inbox: Uint8Array[];
}

function world() {
  const server = new JudgedDoc();
  const replicas: Replica[] = USERS.map(() => {
    const replica: Replica = { doc: new Y.Doc(), outbox: [], inbox: [] };
    replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') replica.outbox.push(update);
    });
    return replica;
  });
  const refusals: string[] = [];

  const flush = (i: number) => {
    const replica = replicas[i]!;
    for (const update of replica.outbox.splice(0)) {
      const verdict = server.receive(update, { userId: USERS[i]!.id, role: USERS[i]!.role });
      if (!verdict.ok) refusals.push(verdict.reason);
      else replicas.forEach((other, j) => j !== i && other.inbox.push(update));
    }
  };
  const deliver = (i: number) => {
    const replica = replicas[i]!;
    for (const update of replica.inbox.splice(0)) Y.applyUpdate(replica.doc, update, 'remote');
  };

  const run = (c: Command) => {
    const { doc } = replicas[c.who]!;
    const user = USERS[c.who]!;
    const all = viewMessages(doc);
    const mine = all.filter((m) => m.author === user.id);
    switch (c.kind) {
      case 'send':
        sendMessage(doc, { author: user.id, text: c.text });
        break;
      case 'edit': {
        const target = mine[c.pick % Math.max(1, mine.length)];
        if (target) editMessage(doc, { messageId: target.id, userId: user.id, text: c.text });
        break;
      }
      case 'delete': {
        // Members delete their own; the owner deletes anyone's.
        const choices = user.role === 'owner' ? all : mine;
        const target = choices[c.pick % Math.max(1, choices.length)];
        if (target) deleteMessage(doc, { messageId: target.id, userId: user.id, role: user.role });
        break;
      }
      case 'react': {
        const target = all[c.pick % Math.max(1, all.length)];
        const input = { messageId: target?.id ?? '', emoji: EMOJI[c.emoji]!, userId: user.id };
        if (target && c.off) unreact(doc, input);
        else if (target) react(doc, input);
        break;
      }
      case 'read': {
        const target = all[c.pick % Math.max(1, all.length)];
        if (target) markRead(doc, { userId: user.id, messageId: target.id });
        break;
      }
      case 'flush':
        flush(c.who);
        break;
      case 'deliver':
        deliver(c.who);
        break;
      default:
        throw new Error(`unknown command ${(c satisfies never) as string}`);
    }
  };

  const settle = () => {
    while (replicas.some((r) => r.outbox.length > 0 || r.inbox.length > 0)) {
      replicas.forEach((_, i) => flush(i));
      replicas.forEach((_, i) => deliver(i));
    }
  };

  return { server, replicas, refusals, run, settle };
}

function contents(doc: Y.Doc) {
  const { messages, edits, reactions, reads } = roomTypes(doc);
  return { messages: messages.toJSON(), edits: edits.toJSON(), reactions: reactions.toJSON(), reads: reads.toJSON() };
}

describe('convergence under the write rules', () => {
  it('honest replicas with random offline gaps converge, and no update of theirs is refused', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 5, maxLength: 40 }), (commands) => {
        const w = world();
        for (const c of commands) w.run(c);
        w.settle();
        expect(w.refusals).toEqual([]);
        const expected = contents(w.server.doc);
        for (const r of w.replicas) {
          expect(contents(r.doc)).toEqual(expected);
          expect(Y.encodeStateVector(r.doc)).toEqual(Y.encodeStateVector(w.server.doc));
        }
        // Every clientID is bound to the one person who wrote with it.
        w.replicas.forEach((r, i) => {
          const owner = w.server.owners.get(r.doc.clientID);
          if (owner !== undefined) expect(owner).toBe(USERS[i]!.id);
        });
      }),
      { numRuns: 50 }
    );
  });
});
