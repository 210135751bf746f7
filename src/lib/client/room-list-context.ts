import { getContext, setContext } from 'svelte';
import type { RoomListSync } from '$lib/sync/room-list-sync.svelte';

/** The signed-in user's room list, shared by the layout with every page (null when signed out). */
export interface RoomListContext {
  readonly current: RoomListSync | null;
}

const KEY = Symbol('room-list');

export function setRoomListContext(context: RoomListContext): void {
  setContext(KEY, context);
}

export function getRoomListContext(): RoomListContext {
  return getContext<RoomListContext | undefined>(KEY) ?? { current: null };
}
