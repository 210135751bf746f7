import { api, unreachable } from '$lib/client/api';
import { localCache } from '$lib/client/local-cache';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { user } = await parent();
  if (!user) return { rooms: [], roomsFromCache: false };
  const rooms = await api.rooms();
  if (rooms.ok) {
    localCache.setRooms(user.id, rooms.data.rooms);
    return { rooms: rooms.data.rooms, roomsFromCache: false };
  }
  return { rooms: unreachable(rooms.status) ? (localCache.rooms(user.id) ?? []) : [], roomsFromCache: unreachable(rooms.status) };
};
