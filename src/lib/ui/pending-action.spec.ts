import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingAction } from './pending-action.svelte';

/** Just enough of a window for the page events: pagehide on it, visibilitychange on its document. */
function fakePage() {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const page = Object.assign(new EventTarget(), { document });
  return {
    page: page as unknown as Window,
    hide: () => {
      document.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
    },
    leave: () => page.dispatchEvent(new Event('pagehide'))
  };
}

describe('PendingAction', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does the action once its time is up, and hides its key until then', () => {
    const commit = vi.fn();
    const pending = new PendingAction({ delayMs: 5000, page: null });
    pending.start({ key: 'message:m1', label: 'Message deleted', commit });
    expect(pending.hides('message:m1')).toBe(true);
    vi.advanceTimersByTime(4999);
    expect(commit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(pending.current).toBeNull();
    expect(pending.hides('message:m1')).toBe(false);
    vi.runAllTimers();
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('never does an undone action', () => {
    const commit = vi.fn();
    const pending = new PendingAction({ page: null });
    pending.start({ key: 'k', label: 'x', commit });
    pending.undo();
    vi.runAllTimers();
    pending.destroy();
    expect(commit).not.toHaveBeenCalled();
  });

  it('does the waiting action first when a new one starts', () => {
    const first = vi.fn();
    const second = vi.fn();
    const pending = new PendingAction({ page: null });
    pending.start({ key: 'a', label: 'a', commit: first });
    pending.start({ key: 'b', label: 'b', commit: second });
    expect(first).toHaveBeenCalledTimes(1);
    expect(pending.current?.key).toBe('b');
    expect(second).not.toHaveBeenCalled();
  });

  it.each([
    ['the page is hidden', (p: ReturnType<typeof fakePage>) => p.hide()],
    ['the page goes away', (p: ReturnType<typeof fakePage>) => p.leave()]
  ])('does the action at once when %s', (_when, event) => {
    const fake = fakePage();
    const commit = vi.fn();
    const pending = new PendingAction({ page: fake.page });
    pending.start({ key: 'k', label: 'x', commit });
    event(fake);
    expect(commit).toHaveBeenCalledTimes(1);
    pending.destroy();
  });

  it('does what is waiting on destroy and then stops listening', () => {
    const fake = fakePage();
    const commit = vi.fn();
    const pending = new PendingAction({ page: fake.page });
    pending.start({ key: 'k', label: 'x', commit });
    pending.destroy();
    expect(commit).toHaveBeenCalledTimes(1);
    fake.leave();
    expect(commit).toHaveBeenCalledTimes(1);
  });
});
