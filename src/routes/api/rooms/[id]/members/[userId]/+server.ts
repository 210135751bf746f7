import { json } from '@sveltejs/kit';
import { mayAddMembers, mayChangeRole, mayLeave, mayRemoveMember } from '$lib/chat/roles';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { getMember, memberIds, removeMember, RoleChangeSchema, setRole, type Member } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The owner changes someone's role: admin, member again, or owner (handing the room over;
 * the owner becomes an admin and may then leave).
 */
export const PATCH: RequestHandler = api(async ({ locals, params, request }) => {
  const user = requireUser(locals);
  const { sql, access, recordRoomEvent } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  if (!mayChangeRole({ id: user.id, role }, { id: params.userId })) {
    throw new ApiError(403, 'forbidden', params.userId === user.id ? 'Hand the room over to someone else instead' : 'Only the owner may change roles');
  }
  if (room.kind === 'dm') throw new ApiError(400, 'direct_room', 'A direct message has no roles');
  const { role: next } = await readBody(request, RoleChangeSchema);
  const target = await getMember(sql, room.id, params.userId);
  if (!target) throw new ApiError(404, 'not_member', 'That user is not a member');
  if (target.role === next) return json({ member: target });
  if (!(await setRole(sql, room.id, target.id, next, user.id))) throw new ApiError(404, 'not_member', 'That user is not a member');
  // Open sockets act with the role they connected with: theirs (and, handing over, the
  // owner's own) reconnect with the new one.
  access.roleChanged(room.id, target.id);
  if (next === 'owner') access.roleChanged(room.id, user.id);
  access.roomsChanged(next === 'owner' ? [target.id, user.id] : [target.id]);
  await recordRoomEvent(room.id, { kind: 'role', actor: user.id, actorName: user.username, subject: target.id, subjectName: target.username, role: next, previous: target.role, ts: Date.now() });
  return json({ member: { ...target, role: next } });
});

/** Owners and admins remove others; anyone removes themselves (leaves). */
export const DELETE: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql, access, recordRoomEvent } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  const leaving = params.userId === user.id;
  let target: Member | null = null;
  if (!leaving) {
    if (!mayAddMembers(role)) throw new ApiError(403, 'forbidden', 'Only owners or admins may remove members');
    target = await getMember(sql, room.id, params.userId);
    const targetRole = target?.role;
    if (!targetRole) throw new ApiError(404, 'not_member', 'That user is not a member');
    if (!mayRemoveMember({ id: user.id, role }, { id: params.userId, role: targetRole })) {
      throw new ApiError(403, 'forbidden', 'You cannot remove someone of equal or higher role');
    }
  } else if (!mayLeave(role)) {
    throw new ApiError(409, 'owner_cannot_leave', 'The owner cannot leave: hand the room over to someone else first, or delete it');
  }
  const members = await memberIds(sql, room.id);
  if (!(await removeMember(sql, room.id, params.userId))) throw new ApiError(404, 'not_member', 'That user is not a member');
  access.memberRemoved(room.id, params.userId);
  access.roomsChanged(members);
  const actor = { actor: user.id, actorName: user.username, ts: Date.now() };
  await recordRoomEvent(room.id, leaving || !target ? { kind: 'left', ...actor } : { kind: 'removed', ...actor, subject: target.id, subjectName: target.username });
  return new Response(null, { status: 204 });
});
