import type { ApiResult } from './api';

/**
 * The state of one user-triggered API call behind a form: whether it is running and the
 * message of its last failure. Components read `busy` and `error`; pages call `run`.
 */
export class ApiAction {
  #busy = $state(false);
  #error = $state<string | null>(null);

  get busy(): boolean {
    return this.#busy;
  }

  /** The last failure's message, fit to show the user; null after a success or `clear()`. */
  get error(): string | null {
    return this.#error;
  }

  clear(): void {
    this.#error = null;
  }

  /**
   * Runs `call` unless one is running; returns `{ data }` on success (data may itself be
   * null, as for a 204), null on failure or when busy.
   */
  async run<T>(call: () => Promise<ApiResult<T>>): Promise<{ data: T } | null> {
    if (this.#busy) return null;
    this.#busy = true;
    this.#error = null;
    try {
      const result = await call();
      if (result.ok) return { data: result.data };
      this.#error = result.message;
      return null;
    } finally {
      this.#busy = false;
    }
  }
}
