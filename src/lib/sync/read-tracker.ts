/**
 * Decides when a message counts as read: it has been on screen while the window had
 * focus. The message list reports which messages are on screen; this moves the read
 * marker to the furthest of them whenever the window is focused and visible, a moment
 * later (so a fling through history writes one marker, not fifty).
 */

/** Whether the user is looking at the page, and a way to hear when that changes. */
export interface FocusSource {
  focused(): boolean;
  /** Subscribes; returns the unsubscribe. */
  subscribe(onchange: () => void): () => void;
}

/** The browser's: focused window and visible document. */
const documentFocus: FocusSource = {
  focused: () => document.visibilityState === 'visible' && document.hasFocus(),
  subscribe(onchange) {
    window.addEventListener('focus', onchange);
    window.addEventListener('blur', onchange);
    document.addEventListener('visibilitychange', onchange);
    return () => {
      window.removeEventListener('focus', onchange);
      window.removeEventListener('blur', onchange);
      document.removeEventListener('visibilitychange', onchange);
    };
  }
};

export interface ReadTrackerOptions {
  /** Position of a message in the room (document order), -1 if unknown. */
  positionOf: (messageId: string) => number;
  /** Writes the marker (RoomView.markRead). */
  mark: (messageId: string) => void;
  focus?: FocusSource;
  /** @default 250 */
  delayMs?: number;
}

export class ReadTracker {
  readonly #visible = new Set<string>();
  readonly #options: ReadTrackerOptions;
  readonly #focus: FocusSource;
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The furthest message seen on screen while focused, not written yet. */
  #pending: string | null = null;
  #pendingAt = -1;
  /** The furthest position marked by this tracker: never write a marker backwards. */
  #markedAt = -1;

  constructor(options: ReadTrackerOptions) {
    this.#options = options;
    this.#focus = options.focus ?? documentFocus;
    this.#unsubscribe = this.#focus.subscribe(() => {
      if (!this.#focus.focused()) return;
      for (const id of this.#visible) this.#consider(id);
    });
  }

  /** The list reports a message entering (true) or leaving (false) the screen. */
  seen(messageId: string, visible: boolean): void {
    if (!visible) {
      this.#visible.delete(messageId);
      return;
    }
    this.#visible.add(messageId);
    if (this.#focus.focused()) this.#consider(messageId);
  }

  /** Stops; what was seen while focused still counts (leaving right after reading). */
  destroy(): void {
    this.#unsubscribe();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#flush();
  }

  #consider(messageId: string): void {
    const at = this.#options.positionOf(messageId);
    if (at <= this.#pendingAt || at <= this.#markedAt) return;
    this.#pending = messageId;
    this.#pendingAt = at;
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, this.#options.delayMs ?? 250);
  }

  #flush(): void {
    const id = this.#pending;
    if (id === null || this.#pendingAt <= this.#markedAt) return;
    this.#markedAt = this.#pendingAt;
    this.#pending = null;
    this.#options.mark(id);
  }
}
