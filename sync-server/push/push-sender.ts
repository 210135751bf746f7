import { createHash } from 'node:crypto';
import webpush from 'web-push';
import { checkPushEndpoint, dnsResolver, type Resolver } from '../../src/lib/server/push/endpoint-check';
import type { StoredSubscription } from '../../src/lib/server/push/subscriptions';
import type { VapidKeys } from '../../src/lib/server/push/vapid';
import type { SendOutcome } from './push-queue';

/** What the service worker receives (JSON, at most MAX_PAYLOAD_BYTES). */
export interface PushPayload {
  roomId: string;
  roomName: string;
  messageId: string;
  /** The sender's username. */
  author: string;
  preview: string;
}

export interface PushMessage {
  payload: PushPayload;
  urgency: 'high' | 'normal';
}

/** Push services accept 4 KB of ciphertext; the encryption adds a little, JSON escapes more. */
export const MAX_PAYLOAD_BYTES = 3000;
/** A message older than a day is no news any more. */
const TTL_SECONDS = 24 * 60 * 60;

export interface PushSenderOptions {
  vapid: VapidKeys;
  /** VAPID `sub`: a mailto: or https: contact for the push service's operators. */
  subject: string;
  /** http and loopback endpoints too (tests, local development). */
  allowInsecure: boolean;
  /** @default 10 s */
  timeoutMs?: number;
  resolve?: Resolver;
}

/**
 * The Topic header: at most 32 characters of the URL-safe base64 alphabet, the same for
 * every message of a room, so a push service keeps only the newest one waiting per room.
 * A UUID without its dashes fits; anything else is hashed.
 */
export function topicFor(roomId: string): string {
  const compact = roomId.replace(/-/g, '');
  if (/^[A-Za-z0-9_]{1,32}$/.test(compact)) return compact;
  return createHash('sha256').update(roomId).digest('base64url').slice(0, 32);
}

/** JSON of the payload within MAX_PAYLOAD_BYTES: the preview is shortened until it fits. */
export function encodePayload(payload: PushPayload): string {
  let body = JSON.stringify(payload);
  let cut = payload.preview;
  while (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES && cut.length > 0) {
    cut = cut.slice(0, Math.floor(cut.length / 2));
    body = JSON.stringify({ ...payload, preview: cut });
  }
  return body;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * Sends one encrypted, VAPID-signed notification with fetch (web-push's own sender only
 * speaks https, and a test push service is plain http). The endpoint is checked again
 * right before sending: the host may resolve somewhere else than at subscription time.
 */
export async function sendPush(sub: StoredSubscription, message: PushMessage, options: PushSenderOptions): Promise<SendOutcome> {
  const check = await checkPushEndpoint(sub.endpoint, options.allowInsecure, options.resolve ?? dnsResolver);
  if (!check.ok) return { kind: 'failed', reason: check.reason };
  const details = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: sub.keys }, encodePayload(message.payload), {
    vapidDetails: { subject: options.subject, publicKey: options.vapid.publicKey, privateKey: options.vapid.privateKey },
    TTL: TTL_SECONDS,
    urgency: message.urgency,
    topic: topicFor(message.payload.roomId),
    contentEncoding: 'aes128gcm'
  });
  const response = await fetch(details.endpoint, {
    method: details.method,
    headers: details.headers as Record<string, string>,
    body: details.body as Buffer<ArrayBuffer>,
    // A redirect could lead anywhere, past the check above.
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000)
  });
  await response.body?.cancel();
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 404 || status === 410) return { kind: 'gone' };
  if (status === 429 || status >= 500) return { kind: 'retry', retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  return { kind: 'failed', reason: `push service answered ${status}` };
}
