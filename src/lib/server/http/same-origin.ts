/**
 * Is a request's `Origin` header this app's own origin? With `ORIGIN` configured (behind a
 * proxy, adapter-node's variable) the whole origin must match; without it, the origin's
 * host must be the request's Host header. The scheme cannot be told apart there (one
 * port serves one scheme), so host:port is what identifies us.
 *
 * A missing Origin is allowed: browsers send one on every cross-origin request and on
 * every non-GET fetch and WebSocket upgrade, so only non-browser clients (Bearer tokens,
 * scripts, our own test clients) omit it, and they carry no ambient cookie to abuse.
 */
export function isSameOrigin(origin: string | null | undefined, app: { configuredOrigin?: string | undefined; host?: string | null | undefined }): boolean {
  if (origin === undefined || origin === null) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    // "null" (sandboxed frames, file:) and garbage are never us.
    return false;
  }
  if (app.configuredOrigin) {
    try {
      return parsed.origin === new URL(app.configuredOrigin).origin;
    } catch {
      return false;
    }
  }
  return !!app.host && parsed.host === app.host.toLowerCase();
}

/** Methods that change state: the ones the same-origin check guards. */
export function changesState(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
