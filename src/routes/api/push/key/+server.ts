import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/api';
import { loadVapidKeys } from '$lib/server/push/vapid';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The VAPID public key for `pushManager.subscribe`. Public by nature, so no sign-in: the
 * service worker fetches it on `pushsubscriptionchange`, when no page may be open.
 */
export const GET: RequestHandler = api(async () => {
  const { publicKey } = await loadVapidKeys(getRuntime().sql);
  return json({ publicKey }, { headers: { 'cache-control': 'no-store' } });
});
