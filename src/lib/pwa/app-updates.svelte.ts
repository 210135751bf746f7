import { Workbox } from 'workbox-window';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/**
 * The service worker's life as the page sees it: registers it (workbox-window), says when a
 * new version waits ("Update available — Reload"), and holds the browser's install prompt.
 * Nothing reloads unless the user asks.
 */
export class AppUpdates {
  #updateWaiting = $state(false);
  #canInstall = $state(false);
  #workbox: Workbox | null = null;
  #installPrompt: BeforeInstallPromptEvent | null = null;

  get updateWaiting(): boolean {
    return this.#updateWaiting;
  }

  get canInstall(): boolean {
    return this.#canInstall;
  }

  /** Starts watching; returns a function that stops. */
  start(): () => void {
    const onPrompt = (event: Event) => {
      event.preventDefault();
      this.#installPrompt = event as BeforeInstallPromptEvent;
      this.#canInstall = true;
    };
    const onInstalled = () => {
      this.#installPrompt = null;
      this.#canInstall = false;
    };
    window.addEventListener('beforeinstallprompt', onPrompt);
    window.addEventListener('appinstalled', onInstalled);
    if ('serviceWorker' in navigator && !import.meta.env.DEV) {
      const wb = new Workbox('/service-worker.js');
      wb.addEventListener('waiting', () => {
        this.#updateWaiting = true;
      });
      this.#workbox = wb;
      wb.register().catch(() => {
        // No service worker (e.g. private mode): Porch still works online.
      });
    }
    return () => {
      window.removeEventListener('beforeinstallprompt', onPrompt);
      window.removeEventListener('appinstalled', onInstalled);
    };
  }

  /** Activates the waiting version and reloads once it controls the page. */
  applyUpdate(): void {
    const wb = this.#workbox;
    if (!wb) return;
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  }

  async install(): Promise<void> {
    const prompt = this.#installPrompt;
    if (!prompt) return;
    await prompt.prompt();
    await prompt.userChoice;
    this.#installPrompt = null;
    this.#canInstall = false;
  }
}
