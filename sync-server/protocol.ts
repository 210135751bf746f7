/**
 * The sync protocol in one table: y-websocket's message types plus ours, and every close
 * code the server uses. See sync-server/SPEC.md.
 */

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Server -> client: `varUint clientID, varUint clock`, all lower clocks are durable. */
  Ack: 100
} as const;

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

/** A close reason with a specific explanation (a WebSocket reason is at most 123 bytes). */
export function withReason(base: CloseReason, reason: string): CloseReason {
  return { code: base.code, reason: reason.slice(0, 120) };
}
