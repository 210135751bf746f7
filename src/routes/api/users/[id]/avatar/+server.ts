import { api, ApiError, requireUser } from '$lib/server/http/api';
import { getAvatar } from '$lib/server/profiles';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * A user's avatar, for any signed-in user (usernames are searchable anyway). `?v=` names the
 * version the caller knows; the bytes of a version never change, so they are cached a year
 * (and offline, by the service worker).
 */
export const GET: RequestHandler = api(async ({ locals, params }) => {
  requireUser(locals);
  const avatar = await getAvatar(getRuntime().sql, params.id);
  if (!avatar) throw new ApiError(404, 'no_avatar', 'This user has no avatar');
  return new Response(new Blob([avatar.data as Uint8Array<ArrayBuffer>], { type: avatar.contentType }), {
    headers: {
      'content-type': avatar.contentType,
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${avatar.version}"`,
      // An image, never a document: nothing in it runs even if opened directly.
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff'
    }
  });
});
