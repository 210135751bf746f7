import type { WebsocketProvider } from 'y-websocket';
import { peersFromStates, userColor, type Peer } from './presence';

/** How long a "typing" flag lives without another keystroke. */
const TYPING_TIMEOUT_MS = 3000;

type Awareness = WebsocketProvider['awareness'];

/**
 * This user's awareness state in one room (name, colour, typing, active) and the other
 * people in it. `active` means the room is on screen: only while `foreground` is set and
 * the tab is visible; a room kept for the room list shows this user present, not active.
 */
export class RoomPresence {
  #peers = $state.raw<Peer[]>([]);
  readonly #awareness: Awareness;
  readonly #userId: string;
  #foreground: boolean;
  #typingTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #onVisibility = () => this.#set({ active: this.#active() });
  readonly #onChange = () => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- scratch copy inside one call; `#peers` is the state
    const states = new Map(this.#awareness.getStates());
    states.delete(this.#awareness.clientID);
    this.#peers = peersFromStates(states, this.#userId);
  };

  constructor(awareness: Awareness, user: { id: string; username: string }, foreground: boolean) {
    this.#awareness = awareness;
    this.#userId = user.id;
    this.#foreground = foreground;
    awareness.setLocalState({ user: { id: user.id, name: user.username, color: userColor(user.id) }, typing: false, active: this.#active() });
    awareness.on('change', this.#onChange);
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  /** Other people with the room open right now (one entry per person). */
  get peers(): Peer[] {
    return this.#peers;
  }

  /** The room is on screen (or no longer is: then this user is not typing either). */
  setForeground(foreground: boolean): void {
    this.#foreground = foreground;
    if (!foreground) this.setTyping(false);
    this.#set({ active: this.#active() });
  }

  /** Tells the others whether this user is typing; clears itself after a few seconds. */
  setTyping(typing: boolean): void {
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = typing ? setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS) : null;
    this.#set({ typing });
  }

  /** Stops listening; the provider's destroy tells the others this user left. */
  destroy(): void {
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = null;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#awareness.off('change', this.#onChange);
  }

  #active(): boolean {
    return this.#foreground && document.visibilityState === 'visible';
  }

  /** Changes the local state only when something changed: each change is a frame to everyone. */
  #set(patch: Partial<{ typing: boolean; active: boolean }>): void {
    const current = this.#awareness.getLocalState() as Record<string, unknown> | null;
    if (!current || Object.entries(patch).every(([key, value]) => current[key] === value)) return;
    this.#awareness.setLocalState({ ...current, ...patch });
  }
}
