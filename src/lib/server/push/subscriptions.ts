import type { Sql } from 'postgres';
import * as v from 'valibot';

/** `PushSubscription.toJSON()` as the browser sends it. */
export const PushSubscriptionSchema = v.object({
  endpoint: v.pipe(v.string('endpoint must be text'), v.minLength(1), v.maxLength(2048, 'endpoint is too long')),
  expirationTime: v.optional(v.nullable(v.number())),
  keys: v.object({
    p256dh: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}={0,2}$/, 'keys.p256dh must be URL-safe base64')),
    auth: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}={0,2}$/, 'keys.auth must be URL-safe base64'))
  })
});
export type PushSubscriptionJson = v.InferOutput<typeof PushSubscriptionSchema>;

export const UnsubscribeSchema = v.object({ endpoint: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)) });

/** A stored subscription, in the shape web-push takes. */
export interface StoredSubscription {
  userId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Stores a device's subscription; the same endpoint subscribed again moves to `userId`. */
export async function saveSubscription(sql: Sql, userId: string, sub: PushSubscriptionJson): Promise<void> {
  const expires = sub.expirationTime ? new Date(sub.expirationTime) : null;
  await sql`
    insert into push_subscriptions (endpoint, user_id, p256dh, auth, expires_at)
    values (${sub.endpoint}, ${userId}, ${sub.keys.p256dh}, ${sub.keys.auth}, ${expires})
    on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh,
      auth = excluded.auth, expires_at = excluded.expires_at, created_at = now()`;
}

/** Removes this user's subscription for `endpoint`; false when there was none. */
export async function deleteSubscription(sql: Sql, userId: string, endpoint: string): Promise<boolean> {
  const rows = await sql`delete from push_subscriptions where endpoint = ${endpoint} and user_id = ${userId} returning endpoint`;
  return rows.length > 0;
}

/** Whether this endpoint is registered to this user (the settings page's "subscribed?"). */
export async function hasSubscription(sql: Sql, userId: string, endpoint: string): Promise<boolean> {
  const rows = await sql`select 1 from push_subscriptions where endpoint = ${endpoint} and user_id = ${userId}`;
  return rows.length > 0;
}

/** The push service said the subscription is gone (404/410): forget it, whoever owns it. */
export async function forgetEndpoint(sql: Sql, endpoint: string): Promise<void> {
  await sql`delete from push_subscriptions where endpoint = ${endpoint}`;
}

export async function subscriptionsOf(sql: Sql, userIds: string[]): Promise<StoredSubscription[]> {
  if (userIds.length === 0) return [];
  const rows = await sql<{ user_id: string; endpoint: string; p256dh: string; auth: string }[]>`
    select user_id, endpoint, p256dh, auth from push_subscriptions
    where user_id in ${sql(userIds)} and (expires_at is null or expires_at > now())`;
  return rows.map((r) => ({ userId: r.user_id, endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }));
}
