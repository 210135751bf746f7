import type { RoomRole } from './schema';

/**
 * What a room role allows: one rule each for the browser (menus, the member panel) and
 * the server (write rules, the room API), so a button is shown exactly when the server
 * would accept what it does. Rows in roles.spec.ts.
 */

/** Someone acting in a room: their user id and role there. */
export interface RoomActor {
  id: string;
  role: RoomRole;
}

/** Owners and admins moderate: they may delete anyone's message. */
export function isModerator(role: RoomRole): boolean {
  return role === 'owner' || role === 'admin';
}

/** Whether `actor` may delete (or change the edit of) a message by `author`: their own, or any as a moderator. */
export function mayDeleteMessage(actor: RoomActor, author: string): boolean {
  return author === actor.id || isModerator(actor.role);
}

/** Whether `actor` may add members to a group room. */
export function mayAddMembers(role: RoomRole): boolean {
  return isModerator(role);
}

/**
 * Whether `actor` may remove `target` from a group room: an owner removes anyone else, an
 * admin removes members; nobody removes an equal or higher role. Leaving (removing
 * oneself) is `mayLeave`.
 */
export function mayRemoveMember(actor: RoomActor, target: RoomActor): boolean {
  if (target.id === actor.id) return false;
  if (actor.role === 'owner') return target.role !== 'owner';
  return actor.role === 'admin' && target.role === 'member';
}

/** Whether someone of `role` may rename a group room or change its description. */
export function mayEditRoom(role: RoomRole): boolean {
  return isModerator(role);
}

/**
 * Whether `actor` may change `target`'s role (make them an admin, a member again, or the
 * owner, handing over): the owner only, for anyone but themselves.
 */
export function mayChangeRole(actor: RoomActor, target: { id: string }): boolean {
  return actor.role === 'owner' && target.id !== actor.id;
}

/**
 * Whether someone of `role` may leave a room: the owner may not (they hand the room over
 * first, or delete it).
 */
export function mayLeave(role: RoomRole): boolean {
  return role !== 'owner';
}

/** Whether someone of `role` may delete the whole room. */
export function mayDeleteRoom(role: RoomRole): boolean {
  return role === 'owner';
}
