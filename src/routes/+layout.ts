import { api, unreachable } from '$lib/client/api';
import { localCache } from '$lib/client/local-cache';
import type { LayoutLoad } from './$types';

// Porch renders in the browser: every page is the same app shell, which the service worker
// can serve for any URL with no network, and the data comes from the API or, offline, from
// this device.
export const ssr = false;

export const load: LayoutLoad = async () => {
  const me = await api.me();
  if (me.ok) {
    localCache.setUser(me.data.user);
    return { user: me.data.user, offline: false };
  }
  if (unreachable(me.status)) return { user: localCache.user(), offline: true };
  return { user: null, offline: false };
};
