import { getRuntime } from '$lib/server/runtime';
import { listRooms } from '$lib/server/rooms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user) return { rooms: [] };
  return { rooms: await listRooms(getRuntime().sql, locals.user.id) };
};
