/** Who else is in a room, read from Yjs awareness states (ARCHITECTURE.md, "Awareness state"). */

/** Another person present in the room (one entry per person, however many tabs). */
export interface Peer {
  id: string;
  name: string;
  color: string;
  typing: boolean;
  /** Has the room open and visible (not only the app in the background). */
  active: boolean;
}

interface AwarenessState {
  user?: { id?: unknown; name?: unknown; color?: unknown };
  typing?: unknown;
  active?: unknown;
}

/** A stable colour per user id, readable on light and dark backgrounds. */
export function userColor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360} 65% 45%)`;
}

/**
 * The people in `states` other than this user, merged per user id: typing or active in
 * any tab counts. Malformed states are skipped.
 */
export function peersFromStates(states: ReadonlyMap<number, unknown>, selfUserId: string): Peer[] {
  const byUser = new Map<string, Peer>();
  for (const raw of states.values()) {
    if (typeof raw !== 'object' || raw === null) continue;
    const state = raw as AwarenessState;
    const id = state.user?.id;
    if (typeof id !== 'string' || id === selfUserId) continue;
    const prev = byUser.get(id);
    byUser.set(id, {
      id,
      name: typeof state.user?.name === 'string' ? state.user.name : 'Unknown',
      color: typeof state.user?.color === 'string' ? state.user.color : userColor(id),
      typing: state.typing === true || (prev?.typing ?? false),
      active: state.active === true || (prev?.active ?? false)
    });
  }
  return [...byUser.values()];
}

/** "Ana is typing…", "Ana and Bo are typing…", "Several people are typing…", or ''. */
export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}
