import * as Y from 'yjs';
import { isModerator, mayDeleteMessage } from './roles';
import type { ChatMessage, RoomRole } from './schema';
import { UpdatePlaces, type DecodedUpdate, type Place } from './update-places';
import { roomEventProblem, SERVER_WRITER_ID } from './room-events';
import { editProblem, isRecord, messageProblem, parseReactionKey, readMarkerProblem, tsProblem } from './values';

/**
 * The room document's write rules (sync-server/SPEC.md, rule 7; docs/write-rules.md):
 * who may write what into a room's Y.Doc. Pure: judged from the doc as it is before the
 * update, the decoded update, the writer and who owns which Yjs clientID. Reached only
 * through `admitUpdate` (admission.ts), which first checks the update can be applied.
 */

/** The person an update comes from. */
export interface Writer {
  userId: string;
  role: RoomRole;
}

/** The user a Yjs clientID is bound to in this room, if any. */
export type ClientOwners = (clientId: number) => string | undefined;

/** What a judged update does, when it breaks no rule. */
export interface Judged {
  /** ClientIDs it writes with that nobody owns yet: bind them to the writer. */
  newClients: number[];
  /** The `messages` elements it adds (not deleted by the same update), in struct order. */
  addedMessages: ChatMessage[];
}

export type Verdict = ({ ok: true } & Judged) | { ok: false; reason: string };

export interface JudgeOptions {
  /** The judging clock, for "not in the future". @default Date.now() */
  now?: number;
  /**
   * Message id -> author for the doc's messages, kept up to date by the caller (the server's
   * room). Without it the judge scans the whole list on every update that needs it, which
   * grows with the room's history.
   */
  authors?: ReadonlyMap<string, string>;
}

type Problem = string | null;

/**
 * Judges an update that can be applied (admission.ts checked that), before it is applied.
 * Only what the update changes counts: structs the doc already has and deletions of already
 * deleted content are no-ops (a reconnecting client's sync step 2 carries its whole delete set).
 */
export function judgeUpdate(doc: Y.Doc, decoded: DecodedUpdate, writer: Writer, clientOwners: ClientOwners, options: JudgeOptions = {}): Verdict {
  const judge = new Judgement(doc, decoded, writer, options.now ?? Date.now(), options.authors);
  const newClients = new Set<number>();
  // SPEC 7.1: a clientID belongs to the first user who writes with it.
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const known = judge.places.known(client);
    if (clock + struct.length <= known) continue;
    const owner = clientOwners(client);
    if (owner === undefined) {
      // The doc has this client's structs but nobody owns them: its binding was lost or not
      // read yet. Taking it now would hand another user's clientID to this writer.
      if (known > 0) return { ok: false, reason: 'Client id belongs to another user' };
      newClients.add(client);
    } else if (owner !== writer.userId) return { ok: false, reason: 'Client id belongs to another user' };
  }
  const problem = judge.inserts() ?? judge.deletions();
  return problem === null ? { ok: true, newClients: [...newClients], addedMessages: judge.addedMessages } : { ok: false, reason: problem };
}

interface NewItem {
  item: Y.Item;
  place: Place;
  /** The new values (ContentAny), or null for deleted content (ContentDeleted). */
  values: unknown[] | null;
}

class Judgement {
  readonly places: UpdatePlaces;
  readonly #decoded: DecodedUpdate;
  readonly #writer: Writer;
  readonly #now: number;
  /** Message id -> author, for the doc's live messages and the update's new ones. */
  #authors: ReadonlyMap<string, string> | null;
  /** Messages this update adds, judged before it is applied (so not in `#authors`). */
  readonly #added = new Map<string, string>();
  /** The same messages' values, unless the update deletes them too (for notifications). */
  readonly addedMessages: ChatMessage[] = [];

  constructor(doc: Y.Doc, decoded: DecodedUpdate, writer: Writer, now: number, authors: ReadonlyMap<string, string> | undefined) {
    this.#authors = authors ?? null;
    this.places = new UpdatePlaces(doc, decoded);
    this.#decoded = decoded;
    this.#writer = writer;
    this.#now = now;
  }

  /** SPEC 7.2-7.6: every new item is in an allowed place with an allowed value. */
  inserts(): Problem {
    const items: NewItem[] = [];
    for (const struct of this.#decoded.structs) {
      const offset = Math.max(0, this.places.known(struct.id.client) - struct.id.clock);
      if (offset >= struct.length || struct instanceof Y.GC) continue;
      if (!(struct instanceof Y.Item)) return 'Update has gaps';
      const placed = this.places.placeOf(struct);
      if (!placed.ok) return placed.reason;
      const { content } = struct;
      let values: unknown[] | null;
      if (content instanceof Y.ContentAny) values = content.arr.slice(offset);
      else if (content instanceof Y.ContentDeleted) values = null;
      else if (content instanceof Y.ContentType) return 'Nested types are not allowed';
      else return 'Only JSON values may be written';
      items.push({ item: struct, place: placed.place, values });
    }
    // SPEC 7.9: the server writes room events and nothing else.
    if (this.#writer.userId === SERVER_WRITER_ID && items.some((entry) => entry.place.type !== 'events')) return 'The server writes only room events';
    // Messages first: an edit in the same update may name a message it also sends.
    for (const entry of items) {
      if (entry.place.type === 'messages') {
        const problem = this.#insertMessages(entry);
        if (problem) return problem;
      }
    }
    for (const entry of items) {
      if (entry.place.type !== 'messages') {
        const problem = this.#insertEntry(entry);
        if (problem) return problem;
      }
    }
    return null;
  }

  /** SPEC 7.7: deletions, judged by what they delete. */
  deletions(): Problem {
    for (const deleted of this.places.deletedItems(this.#decoded.ds)) {
      if ('missing' in deleted) return 'Update deletes content the server does not have';
      const placed = this.places.placeOf(deleted.item);
      if (!placed.ok) return placed.reason;
      const { place } = placed;
      if (place.type === 'messages') {
        const { content } = deleted.item;
        const values = content instanceof Y.ContentAny ? content.arr.slice(deleted.from, deleted.to) : [];
        for (const value of values) {
          const author = isRecord(value) ? value.author : undefined;
          if (typeof author !== 'string' || !mayDeleteMessage({ id: this.#writer.userId, role: this.#writer.role }, author)) return 'Only the author or an admin may delete a message';
        }
      } else {
        const problem = this.#mayWriteKey(place, place.key ?? '', null);
        if (problem) return problem;
      }
    }
    return null;
  }

  /** SPEC 7.3: new `messages` elements are the writer's own, well-formed, with a new id. */
  #insertMessages({ item, place, values }: NewItem): Problem {
    if (place.key !== null) return 'messages is a list, not a map';
    const first = item.id.clock + item.length - (values?.length ?? 0);
    for (const [k, value] of (values ?? []).entries()) {
      const problem = messageProblem(value, this.#writer.userId, this.#now);
      if (problem) return problem;
      const { id } = value as { id: string };
      if (this.#authorOf(id) !== undefined) return 'Message id already exists';
      this.#added.set(id, this.#writer.userId);
      if (!Y.isDeleted(this.#decoded.ds, Y.createID(item.id.client, first + k))) this.addedMessages.push(value as ChatMessage);
    }
    return null;
  }

  /** SPEC 7.4-7.6: a map entry, one value under a key the writer may write. */
  #insertEntry({ place, values }: NewItem): Problem {
    if (place.key === null) return `${place.type} is a map, not a list`;
    if (values !== null && values.length !== 1) return 'A map entry holds exactly one value';
    return this.#mayWriteKey(place, place.key, values === null ? null : { value: values[0] });
  }

  /**
   * May the writer put `entry` under `key` (null: delete, or write deleted content)? Writing
   * a key also deletes its previous value (Yjs maps), so the same right covers deleting it.
   */
  #mayWriteKey(place: Place, key: string, entry: { value: unknown } | null): Problem {
    const { userId, role } = this.#writer;
    switch (place.type) {
      case 'edits': {
        const author = this.#authorOf(key);
        const mine = author === userId;
        if (entry === null) return mine || isModerator(role) ? null : 'Only the author or an admin may change an edit';
        if (author === undefined) return 'Edit of an unknown message';
        const problem = editProblem(entry.value, this.#now);
        if (problem) return problem;
        if ('text' in (entry.value as object)) return mine ? null : 'Only the author may edit a message';
        return mine || isModerator(role) ? null : 'Only the author or an admin may delete a message';
      }
      case 'reactions': {
        const parsed = parseReactionKey(key);
        if (entry === null) return parsed?.userId === userId ? null : 'Reaction belongs to another user';
        if (!parsed) return 'Reaction key is invalid';
        if (parsed.userId !== userId) return 'Reaction belongs to another user';
        return tsProblem(entry.value, this.#now);
      }
      case 'reads':
        if (key !== userId) return 'Read marker belongs to another user';
        return entry === null ? null : readMarkerProblem(entry.value, this.#now);
      case 'events':
        if (userId !== SERVER_WRITER_ID) return 'Only the server records room events';
        return entry === null ? null : roomEventProblem(entry.value, this.#now);
      case 'messages':
        return 'messages is a list, not a map';
    }
  }

  #authorOf(messageId: string): string | undefined {
    return this.#added.get(messageId) ?? this.#docAuthors().get(messageId);
  }

  #docAuthors(): ReadonlyMap<string, string> {
    if (this.#authors) return this.#authors;
    const authors = new Map<string, string>();
    for (const value of this.places.docMessages()) {
      if (isRecord(value) && typeof value.id === 'string' && typeof value.author === 'string') authors.set(value.id, value.author);
    }
    this.#authors = authors;
    return authors;
  }
}
