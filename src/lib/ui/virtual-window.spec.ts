import { describe, expect, it } from 'vitest';
import { RowHeights } from './virtual-window';

describe('RowHeights', () => {
  it('estimates unmeasured rows and sums measured ones', () => {
    const rows = new RowHeights(50);
    rows.setKeys(['a', 'b', 'c']);
    expect(rows.total).toBe(150);
    expect(rows.measure('b', 80)).toBe(30);
    expect(rows.measure('b', 80)).toBe(0);
    expect(rows.total).toBe(180);
    expect(rows.offsetOf(2)).toBe(130);
    expect(rows.indexAt(129)).toBe(1);
    expect(rows.indexAt(130)).toBe(2);
    expect(rows.indexAt(10_000)).toBe(2);
  });

  it('renders only the window around the viewport of 10,000 rows', () => {
    const rows = new RowHeights(60);
    rows.setKeys(Array.from({ length: 10_000 }, (_, i) => `m${i}`));
    const { start, end } = rows.window(300_000, 600, 300);
    expect(end - start).toBeLessThanOrEqual(22);
    expect(rows.offsetOf(start)).toBeLessThanOrEqual(300_000 - 300);
    expect(rows.offsetOf(end)).toBeGreaterThanOrEqual(300_000 + 600 + 300);
    expect(rows.window(0, 600, 300)).toEqual({ start: 0, end: 16 });
  });

  it('keeps heights by key when rows are inserted in between', () => {
    const rows = new RowHeights(50);
    rows.setKeys(['a', 'c']);
    rows.measure('c', 100);
    rows.setKeys(['a', 'b', 'c']);
    expect(rows.total).toBe(200);
    expect(new RowHeights(10).window(0, 100, 0)).toEqual({ start: 0, end: 0 });
  });
});
