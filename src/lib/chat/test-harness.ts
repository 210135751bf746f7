import * as Y from 'yjs';
import type { RoomRole } from './schema';
import { judgeUpdate, type Verdict, type Writer } from './write-rules';

/**
 * A "server" for specs: a doc and clientID bindings, judging updates the way the sync
 * server does (judge, then bind, then apply). Test support only.
 */
export class JudgedDoc {
  readonly doc = new Y.Doc();
  readonly owners = new Map<number, string>();
  now: number | undefined;

  /** Judges `update` from `writer` and applies it when accepted. */
  receive(update: Uint8Array, writer: Writer): Verdict {
    const verdict = judgeUpdate(this.doc, Y.decodeUpdate(update), writer, (c) => this.owners.get(c), this.now === undefined ? {} : { now: this.now });
    if (verdict.ok) {
      for (const c of verdict.newClients) this.owners.set(c, writer.userId);
      Y.applyUpdate(this.doc, update, 'remote');
    }
    return verdict;
  }
}

/** Runs `change` on `doc` and returns what a provider would send for it. */
export function changeOf(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change();
  return Y.encodeStateAsUpdate(doc, before);
}

export function writer(userId: string, role: RoomRole = 'member'): Writer {
  return { userId, role };
}
