import * as Y from 'yjs';
import { admitUpdate, type Admission, type Writer } from './admission';
import type { RoomRole } from './schema';

/**
 * A "server" for specs: a doc and clientID bindings, admitting updates the way the sync
 * server does (admit, then bind, then apply). Test support only.
 */
export class JudgedDoc {
  readonly doc = new Y.Doc();
  readonly owners = new Map<number, string>();
  now: number | undefined;

  /** Admits `update` from `writer` and applies it when accepted. */
  receive(update: Uint8Array, writer: Writer): Admission {
    const admission = admitUpdate(this.doc, update, writer, (c) => this.owners.get(c), this.now === undefined ? {} : { now: this.now });
    if (admission.ok) {
      for (const c of admission.newClients) this.owners.set(c, writer.userId);
      Y.applyUpdate(this.doc, update, 'remote');
    }
    return admission;
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
