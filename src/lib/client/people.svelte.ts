import { SvelteMap } from 'svelte/reactivity';
import type { UserFrame } from '$lib/protocol/user-channel';
import { localCache } from './local-cache';

export type Person = Extract<UserFrame, { type: 'people' }>['people'][number];

/**
 * Who is who for the signed-in user: everyone they share a room with, with the display name
 * and avatar they chose, as the user channel last sent it (SPEC 22), kept on the device for
 * offline. One per signed-in user, shared by every page (lists, messages, receipts, typing).
 */
export class People {
  readonly #byId = new SvelteMap<string, Person>();
  readonly #userId: string;

  constructor(userId: string) {
    this.#userId = userId;
    for (const person of localCache.people(userId)) this.#byId.set(person.id, person);
  }

  /**
   * The whole directory, as the server sent it. Someone no longer listed (left every shared
   * room, deleted their account) goes: a room names its former members itself.
   */
  set(people: Person[]): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- scratch set inside one call
    const listed = new Set(people.map((p) => p.id));
    for (const id of [...this.#byId.keys()]) if (!listed.has(id)) this.#byId.delete(id);
    for (const person of people) {
      const known = this.#byId.get(person.id);
      if (!known || known.displayName !== person.displayName || known.avatar !== person.avatar || known.username !== person.username) this.#byId.set(person.id, person);
    }
    localCache.setPeople(this.#userId, people);
  }

  get(userId: string): Person | undefined {
    return this.#byId.get(userId);
  }

  /** The name to show: the display name, else the username; null for someone unknown here. */
  nameOf(userId: string): string | null {
    const person = this.#byId.get(userId);
    return person ? person.displayName || person.username : null;
  }
}
