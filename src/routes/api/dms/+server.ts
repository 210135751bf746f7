import { json } from '@sveltejs/kit';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { tooManyRooms } from '$lib/server/http/limit-errors';
import { AddMemberSchema, openDirectRoomWithin } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import { findUserByUsername } from '$lib/server/users';
import type { RequestHandler } from './$types';

/** The one DM room of the pair: 201 the first time, 200 after. */
export const POST: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { sql, limits, access } = getRuntime();
  const { username } = await readBody(request, AddMemberSchema);
  const other = await findUserByUsername(sql, username);
  if (!other) throw new ApiError(404, 'user_not_found', `No user named ${username}`);
  if (other.id === user.id) throw new ApiError(400, 'self_dm', 'Pick someone other than yourself');
  const opened = await openDirectRoomWithin(sql, user, other, limits.roomsPerUser);
  if ('overLimit' in opened) throw tooManyRooms(opened.overLimit);
  if (opened.created) access.roomsChanged([user.id, other.id]);
  return json({ room: opened.room }, { status: opened.created ? 201 : 200 });
});
