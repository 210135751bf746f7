import { json } from '@sveltejs/kit';
import { api, ApiError, requireUser } from '$lib/server/http/api';
import { checkAvatar, deleteAvatar, MAX_AVATAR_BYTES, profileAudience, setAvatar } from '$lib/server/profiles';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

async function readImage(request: Request): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_AVATAR_BYTES) throw new ApiError(413, 'avatar_too_large', 'An avatar must be at most 5 MB');
  if (!/^image\//i.test(request.headers.get('content-type') ?? '')) throw new ApiError(415, 'not_an_image', 'Send the image itself (Content-Type: image/png, image/jpeg, image/webp or image/gif)');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  try {
    for (;;) {
      const read = await reader?.read();
      if (!read || read.done) break;
      size += read.value.byteLength;
      // Past the limit the rest is read and dropped, so the client still gets the 413.
      if (size <= MAX_AVATAR_BYTES) chunks.push(read.value);
    }
  } catch {
    throw new ApiError(400, 'invalid_body', 'Could not read the request body');
  }
  if (size > MAX_AVATAR_BYTES) throw new ApiError(413, 'avatar_too_large', 'An avatar must be at most 5 MB');
  return Buffer.concat(chunks);
}

/** Sets the signed-in user's avatar: the image bytes as the body. */
export const PUT: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  const bytes = await readImage(request);
  const checked = checkAvatar(bytes);
  if (!checked.ok) throw new ApiError(checked.status, checked.code, checked.message);
  const version = await setAvatar(sql, user.id, bytes, checked.contentType);
  access.roomsChanged(await profileAudience(sql, user.id));
  return json({ avatar: version });
});

export const DELETE: RequestHandler = api(async ({ locals }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  await deleteAvatar(sql, user.id);
  access.roomsChanged(await profileAudience(sql, user.id));
  return new Response(null, { status: 204 });
});
