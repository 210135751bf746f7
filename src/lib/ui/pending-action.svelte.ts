/** A destructive action that waits a few seconds, so that it can still be undone. */
export interface UndoableAction {
  /** What it hides until it is done or undone, e.g. `message:<id>`: see `hides`. */
  key: string;
  /** What the toast says, e.g. "Message deleted". */
  label: string;
  /** Does it for real; called at most once. */
  commit: () => void;
}

export interface PendingActionOptions {
  /** How long Undo is offered. @default 5000 */
  delayMs?: number;
  /** The page whose going away (pagehide, hidden) does the action at once; null for none. @default globalThis.window */
  page?: Window | null;
}

/**
 * The one action waiting for its Undo (as in Gmail): a new one does the waiting one first.
 * The action is done when the time is up, when the page goes away (closing the tab must not
 * lose what the user asked for), or on `flush()`; `undo()` drops it.
 */
export class PendingAction {
  #current = $state.raw<UndoableAction | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #delayMs: number;
  readonly #page: Window | null;

  constructor(options: PendingActionOptions = {}) {
    this.#delayMs = options.delayMs ?? 5000;
    this.#page = options.page === undefined ? (typeof window === 'undefined' ? null : window) : options.page;
    this.#page?.addEventListener('pagehide', this.#flushNow);
    this.#page?.document.addEventListener('visibilitychange', this.#onVisibility);
  }

  /** The action waiting, if any (what the toast shows). */
  get current(): UndoableAction | null {
    return this.#current;
  }

  /** Whether the thing named `key` is waiting to be done (and so hidden already). */
  hides(key: string): boolean {
    return this.#current?.key === key;
  }

  start(action: UndoableAction): void {
    this.flush();
    this.#current = action;
    this.#timer = setTimeout(this.#flushNow, this.#delayMs);
  }

  /** Drops the waiting action: it is never done. */
  undo(): void {
    this.#clearTimer();
    this.#current = null;
  }

  /** Does the waiting action now. */
  flush(): void {
    const action = this.#current;
    this.undo();
    action?.commit();
  }

  /** Does what is waiting and stops listening to the page. */
  destroy(): void {
    this.flush();
    this.#page?.removeEventListener('pagehide', this.#flushNow);
    this.#page?.document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  readonly #flushNow = () => this.flush();

  readonly #onVisibility = () => {
    if (this.#page?.document.visibilityState === 'hidden') this.flush();
  };
}
