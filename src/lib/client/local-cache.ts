import type { RoomSummary } from '$lib/chat/room-summary';
import type { ApiMember, ApiRoom, ApiUser, Role } from './api';
import type { Person } from './people.svelte';

/**
 * What the app remembers on this device so it can open with no network: the signed-in
 * user, their room list and each room's name and members. Small JSON in localStorage,
 * namespaced by user; the room documents themselves live in IndexedDB (`porch:<user>:<room>`).
 * Used only when the network fails: a server answer always wins, and a 401 is never
 * overridden by what is cached here.
 */

const PREFIX = 'porch:';
const USER_KEY = `${PREFIX}user`;

export interface CachedRoom {
  room: ApiRoom | (Omit<ApiRoom, 'role' | 'memberCount'> & { role?: Role; memberCount?: number });
  members: ApiMember[];
  /** Absent in what an older version cached. */
  former?: ApiUser[];
  role: Role;
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the app still works online, it just opens slower offline.
  }
}

export const localCache = {
  user: (): ApiUser | null => read<ApiUser>(USER_KEY),
  setUser: (user: ApiUser): void => write(USER_KEY, user),
  rooms: (userId: string): ApiRoom[] | null => read<ApiRoom[]>(`${PREFIX}${userId}:rooms`),
  setRooms: (userId: string, rooms: ApiRoom[]): void => write(`${PREFIX}${userId}:rooms`, rooms),
  room: (userId: string, roomId: string): CachedRoom | null => read<CachedRoom>(`${PREFIX}${userId}:room:${roomId}`),
  setRoom: (userId: string, roomId: string, room: CachedRoom): void => write(`${PREFIX}${userId}:room:${roomId}`, room),
  /** Everyone the user shares a room with, and their profiles (the user channel's `people`). */
  people: (userId: string): Person[] => read<Person[]>(`${PREFIX}${userId}:people`) ?? [],
  setPeople: (userId: string, people: Person[]): void => write(`${PREFIX}${userId}:people`, people),
  /** What the room list last showed of each room (unread, preview), for a first paint with no network. */
  summaries: (userId: string): Record<string, RoomSummary> => read<Record<string, RoomSummary>>(`${PREFIX}${userId}:summaries`) ?? {},
  setSummaries: (userId: string, summaries: Record<string, RoomSummary>): void => write(`${PREFIX}${userId}:summaries`, summaries)
};

/** The IndexedDB name of a room's document on this device. */
export function roomDatabaseName(userId: string, roomId: string): string {
  return `${PREFIX}${userId}:${roomId}`;
}

/** Deletes one room's document from this device (it loads again from the server). */
export function deleteLocalCopy(userId: string, roomId: string): Promise<void> {
  return deleteDatabase(roomDatabaseName(userId, roomId));
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * Removes everything Porch keeps on this device for `userId` (sign-out): cached metadata,
 * every room document in IndexedDB, and any Cache Storage entry that is not the public
 * app shell.
 */
export async function wipeLocalData(userId: string): Promise<void> {
  const mine = `${PREFIX}${userId}:`;
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(mine) || key === USER_KEY) localStorage.removeItem(key);
  }
  const names = new Set<string>();
  if (typeof indexedDB.databases === 'function') {
    for (const db of await indexedDB.databases()) if (db.name?.startsWith(mine)) names.add(db.name);
  }
  await Promise.all([...names].map(deleteDatabase));
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) if (!name.startsWith('workbox-precache')) await caches.delete(name);
  }
}
