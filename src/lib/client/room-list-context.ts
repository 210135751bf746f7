import { getContext, setContext } from 'svelte';
import type { People } from './people.svelte';
import type { MessageSearch } from '$lib/search/message-search.svelte';
import type { RoomListSync } from '$lib/sync/room-list-sync.svelte';
import type { RoomSyncs } from '$lib/sync/room-syncs';

/**
 * The signed-in user's live rooms, shared by the layout with every page (null when signed
 * out): the room list, and the registry a page leases its open room from, so that the room
 * and the list share one `RoomSync`; and message search over those rooms.
 */
export interface RoomListContext {
  readonly current: RoomListSync | null;
  readonly syncs: RoomSyncs | null;
  readonly search: MessageSearch | null;
  /** Who is who: display names and avatars of the people in the user's rooms. */
  readonly people: People | null;
}

const KEY = Symbol('room-list');

export function setRoomListContext(context: RoomListContext): void {
  setContext(KEY, context);
}

export function getRoomListContext(): RoomListContext {
  return getContext<RoomListContext | undefined>(KEY) ?? { current: null, syncs: null, search: null, people: null };
}
