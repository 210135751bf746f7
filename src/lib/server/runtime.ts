import type { Sql } from 'postgres';
import type { SignInThrottle } from './auth/login-throttle';
import type { RoomEvent } from '../chat/room-events';

/**
 * What the process entry hands to the SvelteKit server code: the one `sql` of the process
 * and a way to tell the sync server about access changes. The entry and the SvelteKit
 * bundle are built separately, so they meet through a well-known global symbol rather
 * than a shared module instance.
 */
export interface Runtime {
  sql: Sql;
  /** Tells live connections that access changed (member removed, room deleted). */
  access: AccessEvents;
  /** The public origin (`ORIGIN`), when set; else the Host header is ours. */
  origin?: string | undefined;
  /** Whether cookies get the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Web Push: whether http and loopback push endpoints are accepted (tests, development). */
  push: { allowInsecure: boolean };
  /** Failed sign-ins per username and per address (shared by every instance on REDIS_URL). */
  loginThrottle: SignInThrottle;
  /** MAX_ROOMS_PER_USER (rooms a user created) and MAX_MEMBERS_PER_ROOM. */
  limits: { roomsPerUser: number; membersPerRoom: number };
  /**
   * Records what just changed in Postgres as a line in the room's conversation (SPEC 7.9).
   * Never rejects: if the room cannot take it, the change stands and the failure is logged.
   */
  recordRoomEvent(roomId: string, event: RoomEvent): Promise<void>;
  /** Removes every message `userId` wrote in the room, in its document; rejects if it could not. */
  eraseMessages(roomId: string, userId: string): Promise<void>;
}

export interface AccessEvents {
  memberRemoved(roomId: string, userId: string): void;
  roomDeleted(roomId: string): void;
  /**
   * Who a room's messages notify changed: a member added, a member's notification
   * settings (`roomId`), or a user's push devices (`null`: any room). The sync server
   * keeps each room's push audience until told.
   */
  audienceChanged(roomId: string | null): void;
  /** Every session of a user was deleted (password change): their sockets close with 4401. */
  sessionsEnded(userId: string): void;
  /** One session was deleted (sign-out): the sockets it opened close with 4401. */
  sessionEnded(sessionId: string): void;
  /**
   * These users' room lists changed (a room created, joined, left, renamed or deleted):
   * their open Porch tabs, on every instance, get the new list (SPEC 22).
   */
  roomsChanged(userIds: string[]): void;
  /** A member's role in a room changed: their sockets there reconnect, to act with the new role. */
  roleChanged(roomId: string, userId: string): void;
}

const KEY = Symbol.for('porch.runtime');
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) throw new Error('Porch runtime not started: run the server through sync-server/main');
  return runtime;
}
