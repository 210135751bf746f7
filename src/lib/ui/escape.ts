/**
 * An attachment: Escape pressed anywhere inside the element calls `handler` (closing a
 * menu, picker or drawer), and goes no further, so only the innermost one closes.
 */
export function escapeCloses(handler: () => void) {
  return (node: HTMLElement) => {
    const listener = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      handler();
    };
    node.addEventListener('keydown', listener);
    return () => node.removeEventListener('keydown', listener);
  };
}
