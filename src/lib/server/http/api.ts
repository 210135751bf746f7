import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { SessionUser } from '../auth/session';

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

const MAX_BODY_BYTES = 64 * 1024;

/** Parses a JSON body against a valibot schema; a clear 400 for anything else. */
export async function readBody<S extends v.GenericSchema>(request: Request, schema: S): Promise<v.InferOutput<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) throw new ApiError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)');
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiError(413, 'payload_too_large', 'Request body is too large');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
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
