import { error, redirect } from '@sveltejs/kit';
import { api, unreachable } from '$lib/client/api';
import { localCache, type CachedRoom } from '$lib/client/local-cache';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params }) => {
  const { user } = await parent();
  if (!user) redirect(307, '/');
  const answer = await api.room(params.id);
  let details: CachedRoom | null;
  if (answer.ok) {
    details = { room: answer.data.room, members: answer.data.members, former: answer.data.former, role: answer.data.me.role };
    localCache.setRoom(user.id, params.id, details);
  } else if (unreachable(answer.status)) {
    // Offline: the room opens from this device; a room never opened here still shows what
    // the local document has (nothing) and syncs once the network is back.
    details = localCache.room(user.id, params.id) ?? {
      room: { id: params.id, name: 'Room', topic: null, kind: 'group', createdAt: new Date(0).toISOString() },
      members: [],
      former: [],
      role: 'member'
    };
  } else if (answer.status === 401) {
    redirect(307, '/');
  } else {
    error(404, 'This room does not exist, or you are not a member of it.');
  }
  const { room, members, role } = details;
  const former = details.former ?? [];
  // A DM is named after the other person, as in the room list.
  const name = room.kind === 'dm' ? (members.find((m) => m.id !== user.id)?.username ?? room.name) : room.name;
  return { room: { ...room, name }, members, former, role, me: user, fromCache: !answer.ok };
};
