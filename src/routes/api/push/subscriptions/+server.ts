import { json } from '@sveltejs/kit';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { checkPushEndpoint } from '$lib/server/push/endpoint-check';
import { deleteSubscription, hasSubscription, PushSubscriptionSchema, saveSubscription, UnsubscribeSchema } from '$lib/server/push/subscriptions';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Registers this device (the body is `PushSubscription.toJSON()`); 201, idempotent. */
export const POST: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { sql, push, access } = getRuntime();
  const subscription = await readBody(request, PushSubscriptionSchema);
  const check = await checkPushEndpoint(subscription.endpoint, push.allowInsecure);
  if (!check.ok) throw new ApiError(400, 'invalid_endpoint', check.reason);
  await saveSubscription(sql, user.id, subscription);
  access.audienceChanged(null);
  return json({ subscribed: true }, { status: 201 });
});

/** Removes this device: 204, also when it was not registered (the goal is reached). */
export const DELETE: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { endpoint } = await readBody(request, UnsubscribeSchema);
  const { sql, access } = getRuntime();
  if (await deleteSubscription(sql, user.id, endpoint)) access.audienceChanged(null);
  return new Response(null, { status: 204 });
});

/** `?endpoint=…`: whether this device is registered for the signed-in user. */
export const GET: RequestHandler = api(async ({ locals, url }) => {
  const user = requireUser(locals);
  const endpoint = url.searchParams.get('endpoint');
  if (!endpoint) throw new ApiError(400, 'invalid_request', 'endpoint is required');
  const subscribed = await hasSubscription(getRuntime().sql, user.id, endpoint);
  return json({ subscribed }, { headers: { 'cache-control': 'no-store' } });
});
