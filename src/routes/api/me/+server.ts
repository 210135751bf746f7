import { json } from '@sveltejs/kit';
import { deleteAccount, DeleteAccountSchema, DELETED_USER_NAME, roomsWrittenIn } from '$lib/server/accounts';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { refuseUnlessPassword } from '$lib/server/auth/reauthenticate';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { DisplayNameSchema, getProfile, profileAudience, setDisplayName } from '$lib/server/profiles';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The signed-in user with their profile (display name, avatar version). */
export const GET: RequestHandler = api(async ({ locals }) => {
  const user = requireUser(locals);
  const profile = await getProfile(getRuntime().sql, user.id);
  return json({ user: { ...user, displayName: profile?.displayName ?? null, avatar: profile?.avatar ?? null } }, { headers: { 'cache-control': 'no-store' } });
});

/**
 * Deletes the signed-in account, with its password (as a sign-in, throttled). With
 * `eraseMessages`, the text of everything it wrote is removed from every room first; if that
 * fails, nothing is deleted. Its messages otherwise stay, by "Deleted user". Every session
 * ends, owned groups pass to their longest-standing admin (else member), and each room it
 * was in reads "Deleted user left".
 */
export const DELETE: RequestHandler = api(async ({ locals, request, cookies, getClientAddress }) => {
  const user = requireUser(locals);
  const { sql, loginThrottle, access, eraseMessages, recordRoomEvent, secureCookies } = getRuntime();
  const body = await readBody(request, DeleteAccountSchema);
  const refused = await refuseUnlessPassword(sql, loginThrottle, user, body.password, getClientAddress());
  if (refused) return refused;
  if (body.eraseMessages) {
    try {
      for (const roomId of await roomsWrittenIn(sql, user.id)) await eraseMessages(roomId, user.id);
    } catch {
      throw new ApiError(503, 'erase_failed', 'Could not erase your messages just now, so your account was not deleted. Try again in a moment.');
    }
  }
  const audience = await profileAudience(sql, user.id);
  const deletion = await deleteAccount(sql, user.id);
  access.sessionsEnded(user.id);
  const ts = Date.now();
  const actor = { actor: user.id, actorName: DELETED_USER_NAME };
  for (const roomId of deletion.deleted) access.roomDeleted(roomId);
  for (const { roomId, to, previous } of deletion.handedOver) {
    access.roleChanged(roomId, to.id);
    await recordRoomEvent(roomId, { kind: 'role', ...actor, subject: to.id, subjectName: to.username, role: 'owner', previous, ts });
  }
  for (const { roomId } of deletion.left) {
    access.memberRemoved(roomId, user.id);
    await recordRoomEvent(roomId, { kind: 'left', ...actor, ts: ts + 1 });
  }
  access.roomsChanged(audience);
  clearSessionCookie(cookies, secureCookies);
  return new Response(null, { status: 204 });
});

/** Sets (or with null or '' clears) the display name; everyone who shows it hears at once. */
export const PATCH: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  const { displayName } = await readBody(request, DisplayNameSchema);
  await setDisplayName(sql, user.id, displayName);
  access.roomsChanged(await profileAudience(sql, user.id));
  const profile = await getProfile(sql, user.id);
  return json({ user: { ...user, displayName: profile?.displayName ?? null, avatar: profile?.avatar ?? null } });
});
