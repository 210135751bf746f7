import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { SessionUser } from '../auth/session';
import { MAX_JSON_BODY_BYTES } from './limits';

/** The API's one error shape: `{ error: { code, message } }`. */
export function apiError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Thrown by helpers below and turned into its Response by `api()`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

/**
 * The body as text, keeping at most MAX_JSON_BODY_BYTES. Past that, the rest is read and
 * dropped (up to adapter-node's own limit, after which it drops the rest itself) rather than
 * cancelled: cancelling resets the connection and the client would never see the 413.
 */
async function readText(request: Request): Promise<string> {
  const tooLarge = () => new ApiError(413, 'payload_too_large', `Request body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB`);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_JSON_BODY_BYTES) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= MAX_JSON_BODY_BYTES) chunks.push(value);
    }
  } catch (err) {
    // adapter-node's BODY_SIZE_LIMIT (413) or a body cut short by the client.
    if ((err as { status?: unknown }).status === 413) throw tooLarge();
    throw new ApiError(400, 'invalid_body', 'Could not read the request body');
  }
  if (size > MAX_JSON_BODY_BYTES) throw tooLarge();
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

/** Parses a JSON body against a valibot schema; a clear 400 for anything else. */
export async function readBody<S extends v.GenericSchema>(request: Request, schema: S): Promise<v.InferOutput<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type.trim())) throw new ApiError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)');
  let data: unknown;
  try {
    data = JSON.parse(await readText(request));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Invalid JSON, or bytes that are not UTF-8 (TextDecoder with fatal: true).
    throw new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const field = issue.path?.map((p) => String(p.key)).join('.');
    const message = issue.expected === 'object' && !field ? 'Request body must be a JSON object' : issue.message;
    throw new ApiError(400, 'invalid_request', field && !message.toLowerCase().startsWith(field.toLowerCase()) ? `${field}: ${message}` : message);
  }
  return result.output;
}

export function requireUser(locals: App.Locals): SessionUser {
  if (!locals.user) throw new ApiError(401, 'unauthenticated', 'Sign in first');
  return locals.user;
}

/** Wraps a handler so that ApiErrors become their JSON answer. */
export function api<E>(handler: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
  return async (event) => {
    try {
      return await handler(event);
    } catch (err) {
      if (err instanceof ApiError) return apiError(err.status, err.code, err.message);
      throw err;
    }
  };
}
