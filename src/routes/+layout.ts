import { api, unreachable, type ApiRoom } from '$lib/client/api';
import { localCache } from '$lib/client/local-cache';
import type { LayoutLoad } from './$types';

// Porch renders in the browser: every page is the same app shell, which the service worker
// can serve for any URL with no network, and the data comes from the API or, offline, from
// this device.
export const ssr = false;

export const load: LayoutLoad = async () => {
  const me = await api.session();
  if (me.ok && me.data.user) {
    const user = me.data.user;
    localCache.setUser(user);
    // The room list lives in the layout: the room page shows it too (sidebar or drawer).
    const rooms = await api.rooms();
    if (rooms.ok) localCache.setRooms(user.id, rooms.data.rooms);
    const list: ApiRoom[] = rooms.ok ? rooms.data.rooms : (localCache.rooms(user.id) ?? []);
    return { user, offline: false, rooms: list, roomsFromCache: !rooms.ok };
  }
  if (!me.ok && unreachable(me.status)) {
    const user = localCache.user();
    return { user, offline: true, rooms: user ? (localCache.rooms(user.id) ?? []) : [], roomsFromCache: true };
  }
  return { user: null, offline: false, rooms: [] as ApiRoom[], roomsFromCache: false };
};
