/** "Rooms · Porch" with the unread total in front, as chat apps show it in the tab. */
export function titleWithUnread(title: string, unread: number): string {
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${title}` : title;
}

/** Shows the total on the installed app's icon where the browser supports it. */
export function showAppBadge(unread: number): void {
  if (typeof navigator === 'undefined') return;
  const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  const done = unread > 0 ? nav.setAppBadge?.(unread) : nav.clearAppBadge?.();
  // not installed, or not allowed: the title still shows the count
  done?.catch(() => {});
}
