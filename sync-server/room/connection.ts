import type { WebSocket } from 'ws';
import type { RoomRole } from '../../src/lib/chat/schema';
import type { CloseReason } from '../../src/lib/protocol/close-codes';
import { UpdatesBeforeStep2 } from './before-step2';
import { ClientIds } from './client-ids';
import type { FrameLimiter } from './frame-limiter';
import { frameBinary, type Framed } from './framed';

/**
 * What of ws's socket a framed send uses: its sender writes whole frames. Safe while
 * nothing is compressed (the server never negotiates permessage-deflate) and no Blob is
 * sent, which are the only times ws queues frames instead of writing them at once.
 */
interface FrameWriter {
  _sender: { sendFrame(list: Buffer[], cb?: (err?: Error) => void): void };
}

/** The person behind a connection. */
export interface ConnectionUser {
  id: string;
  username: string;
  /** The session that opened the socket: its end (sign-out) closes the socket. */
  sessionId?: string;
}

let nextConnectionId = 1;

/** Up to this many bytes, a message is copied into its frame (see Connection.send). */
const SMALL_MESSAGE = 16 * 1024;

/** A socket bound to one user and one room. */
export class Connection {
  /** For logs: a number, not the user or room. */
  readonly id = nextConnectionId++;
  readonly user: ConnectionUser;
  readonly roomId: string;
  /** The user's role in the room when they connected; decides what they may delete. */
  readonly role: RoomRole;
  /** Awareness clientIDs this connection introduced; removed when it closes. */
  readonly awarenessIds = new ClientIds();
  /** Answered the last ping. */
  alive = true;
  /** Its message rate (SPEC 11). */
  readonly limiter: FrameLimiter;
  #beforeStep2: UpdatesBeforeStep2 | null = null;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket, user: ConnectionUser, roomId: string, role: RoomRole, limiter: FrameLimiter) {
    this.#socket = socket;
    this.limiter = limiter;
    // A literal of one shape: a user made by a spread (`{ ...user, sessionId }`) has a hidden
    // class of its own, ~180 bytes more for every connection.
    this.user = user.sessionId === undefined ? { id: user.id, username: user.username } : { id: user.id, username: user.username, sessionId: user.sessionId };
    this.roomId = roomId;
    this.role = role;
  }

  /** Its updates that overtook its own sync step 2 (Room); made when first asked for. */
  get beforeStep2(): UpdatesBeforeStep2 {
    return (this.#beforeStep2 ??= new UpdatesBeforeStep2());
  }

  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /**
   * Sends a message. A small one (an ack, a state vector) is framed here into one buffer:
   * one write() where ws.send hands the kernel header and payload as a writev of two; a
   * large one goes through ws.send, which does not copy it.
   */
  send(message: Uint8Array): void {
    if (!this.open) return;
    if (message.byteLength <= SMALL_MESSAGE) this.sendFramed(frameBinary(message));
    else this.#socket.send(message, { binary: true });
  }

  /** Sends a message framed once for many connections (`frameBinary`). */
  sendFramed(frame: Framed): void {
    if (this.open) (this.#socket as unknown as FrameWriter)._sender.sendFrame([frame]);
  }

  close(reason: CloseReason): void {
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) {
      this.#socket.close(reason.code, reason.reason);
    }
  }

  ping(): void {
    if (!this.alive) {
      this.#socket.terminate();
      return;
    }
    this.alive = false;
    this.#socket.ping();
  }
}
