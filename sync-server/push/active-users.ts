import type { Awareness } from 'y-protocols/awareness';

/**
 * Users who have the room visible right now, on any instance (remote presence is in the
 * awareness too). Only `active: true` counts: a background tab, or a room the room list
 * keeps in sync, shows as present but not active, and should still get a push.
 */
export function activeUsers(awareness: Awareness): Set<string> {
  const active = new Set<string>();
  for (const state of awareness.getStates().values()) {
    const s = state as { user?: { id?: unknown }; active?: unknown };
    if (s.active === true && typeof s.user?.id === 'string') active.add(s.user.id);
  }
  return active;
}
