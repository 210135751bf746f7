import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadTracker, type FocusSource } from './read-tracker';

function fakeFocus(initial: boolean) {
  let focused = initial;
  const listeners = new Set<() => void>();
  const source: FocusSource = {
    focused: () => focused,
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    }
  };
  return {
    source,
    set(value: boolean) {
      focused = value;
      for (const cb of listeners) cb();
    },
    get listeners() {
      return listeners.size;
    }
  };
}

describe('ReadTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const order = ['a', 'b', 'c', 'd'];

  it('marks the furthest message on screen, once, a moment after it shows', () => {
    const focus = fakeFocus(true);
    const mark = vi.fn();
    const tracker = new ReadTracker({ positionOf: (id) => order.indexOf(id), mark, focus: focus.source });
    tracker.seen('a', true);
    tracker.seen('c', true);
    tracker.seen('b', true);
    expect(mark).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(mark.mock.calls).toEqual([['c']]);
    tracker.seen('b', true);
    vi.advanceTimersByTime(300);
    expect(mark).toHaveBeenCalledTimes(1);
    tracker.destroy();
    expect(focus.listeners).toBe(0);
  });

  it('waits for focus: nothing on screen counts while the window is in the background', () => {
    const focus = fakeFocus(false);
    const mark = vi.fn();
    const tracker = new ReadTracker({ positionOf: (id) => order.indexOf(id), mark, focus: focus.source });
    tracker.seen('d', true);
    vi.advanceTimersByTime(1000);
    expect(mark).not.toHaveBeenCalled();
    focus.set(true);
    vi.advanceTimersByTime(300);
    expect(mark.mock.calls).toEqual([['d']]);
    tracker.destroy();
  });

  it('still marks what was on screen when it stops before the delay', () => {
    const focus = fakeFocus(true);
    const mark = vi.fn();
    const tracker = new ReadTracker({ positionOf: (id) => order.indexOf(id), mark, focus: focus.source });
    tracker.seen('b', true);
    tracker.destroy();
    expect(mark.mock.calls).toEqual([['b']]);
    vi.advanceTimersByTime(1000);
    expect(mark).toHaveBeenCalledTimes(1);
  });

  it('forgets messages that left the screen before focus came back', () => {
    const focus = fakeFocus(false);
    const mark = vi.fn();
    const tracker = new ReadTracker({ positionOf: (id) => order.indexOf(id), mark, focus: focus.source });
    tracker.seen('d', true);
    tracker.seen('d', false);
    tracker.seen('a', true);
    focus.set(true);
    vi.advanceTimersByTime(300);
    expect(mark.mock.calls).toEqual([['a']]);
    tracker.destroy();
  });
});
