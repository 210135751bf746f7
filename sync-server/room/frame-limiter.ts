import { TokenBucket } from './token-bucket';

/** Unused echo credits a connection may hold: enough for any honest backlog, no hoard. */
const ECHO_CREDIT_CAP = 1000;

/**
 * The message rate of one connection (SPEC 11). Every frame takes a token, except awareness
 * frames that change nothing of the sender's own: y-websocket clients send every awareness
 * change they receive back to the server, so in a busy room an honest client echoes as many
 * frames as the room makes changes. Those echoes are paid by credits: one for each awareness
 * frame the server sent this connection about someone else. Credits come only from others'
 * changes, and every change takes a token, so nobody can sustain frames above the rate.
 */
export class FrameLimiter extends TokenBucket {
  // A bucket itself, not one more object per connection; its take() is a frame that asks
  // the server for work (false when over the limit).
  #echoCredit = 0;

  /** An awareness frame; `changes`: it changed the sender's own presence. */
  takeAwareness(changes: boolean): boolean {
    if (!changes && this.#echoCredit > 0) {
      this.#echoCredit--;
      return true;
    }
    return this.take();
  }

  /** The server sent this connection an awareness frame it may echo back. */
  grantEcho(): void {
    if (this.#echoCredit < ECHO_CREDIT_CAP) this.#echoCredit++;
  }
}
