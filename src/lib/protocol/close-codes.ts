/**
 * Every close code the sync server sends and what the browser makes of it (SPEC 2, 6, 10-13).
 * One table for the server, the browser and the tests.
 */

export interface CloseReason {
  code: number;
  reason: string;
}

export const Close = {
  /** Server shutting down or restarting: reconnect soon. */
  Restart: { code: 1012, reason: 'Server restarting' },
  /** Storage failed while handling the room: reconnect later; nothing unacked was kept. */
  StorageError: { code: 1011, reason: 'Storage unavailable' },
  /** The peer stopped answering pings. */
  Timeout: { code: 1001, reason: 'Connection timed out' },
  /** The user's role in the room changed (made admin, owner, member): reconnect to act with the new one. */
  RoleChanged: { code: 4000, reason: 'Your role in this room changed' },
  BadMessage: { code: 4400, reason: 'Malformed or rejected message' },
  Unauthorized: { code: 4401, reason: 'No valid session' },
  Forbidden: { code: 4403, reason: 'Not a member of this room' },
  NotFound: { code: 4404, reason: 'Unknown room' },
  /**
   * Over a limit (message rate, connections per user): not final, unlike the other 44xx
   * codes. Wait a few seconds, then reconnect.
   */
  SlowDown: { code: 4429, reason: 'Too many messages: slow down' },
  TooManyConnections: { code: 4429, reason: 'Too many connections for this user' }
} as const satisfies Record<string, CloseReason>;

/** The codes alone, for the side that reads them (the browser). */
export const CloseCode = {
  Rejected: Close.BadMessage.code,
  Unauthorized: Close.Unauthorized.code,
  Forbidden: Close.Forbidden.code,
  NotFound: Close.NotFound.code,
  SlowDown: Close.SlowDown.code
} as const;

/** What a client does after a close with this code. */
export type CloseAction = 'final' | 'slow-down' | 'retry';

/**
 * 4400-4499 are the server's final word (y-websocket stops there too), except 4429, which
 * asks for a pause; anything else (network, restart, storage) is retried with backoff.
 */
export function closeAction(code: number): CloseAction {
  if (code === CloseCode.SlowDown) return 'slow-down';
  return code >= 4400 && code < 4500 ? 'final' : 'retry';
}

/** A close reason with a specific explanation (a WebSocket reason is at most 123 bytes). */
export function withReason(base: CloseReason, reason: string): CloseReason {
  return { code: base.code, reason: reason.slice(0, 120) };
}
