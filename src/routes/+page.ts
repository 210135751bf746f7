import type { PageLoad } from './$types';

// The rooms come with the layout (the room page lists them too).
export const load: PageLoad = async ({ parent }) => {
  const { rooms, roomsFromCache } = await parent();
  return { rooms, roomsFromCache };
};
