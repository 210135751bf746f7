import { error, redirect } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { getRole, getRoom, listMembers } from '$lib/server/rooms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const user = locals.user;
  if (!user) redirect(303, '/');
  const { sql } = getRuntime();
  const room = await getRoom(sql, params.id);
  if (!room) error(404, 'This room does not exist.');
  const role = await getRole(sql, room.id, user.id);
  if (!role) error(403, 'You are not a member of this room.');
  const members = await listMembers(sql, room.id);
  // a DM is named after the other person, as in the room list
  const name = room.kind === 'dm' ? (members.find((m) => m.id !== user.id)?.username ?? room.name) : room.name;
  return { room: { ...room, name }, members, role, me: user };
};
