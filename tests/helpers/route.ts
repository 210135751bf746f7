/**
 * Calling SvelteKit route handlers straight, with the runtime the server set up. SvelteKit's
 * own part (hooks turning the cookie into `locals.user`, the client address) is what these
 * events stand in for; tests/e2e drives the same routes through the built server.
 */
export type Handler = (event: never) => Response | Promise<Response>;
type Who = { id: string; username: string };

/** A JSON request to `handler` as `user` (none: signed out) from `address`. */
export function call(handler: Handler, options: { user?: Who; body?: unknown; params?: Record<string, string>; address?: string; method?: string }): Promise<Response> {
  const request = new Request('http://porch.test/api', {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  });
  const event = {
    request,
    locals: { user: options.user ?? null, session: null },
    params: options.params ?? {},
    getClientAddress: () => options.address ?? '192.0.2.1',
    cookies: { set() {}, delete() {}, get: () => undefined }
  };
  return Promise.resolve(handler(event as never));
}

/** The API's error body with the status. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}
