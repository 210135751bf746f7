import { describe, expect, it } from 'vitest';
import { continuesGroup, GROUP_MS } from './grouping';

const noon = new Date(2026, 5, 1, 12, 0).getTime();
const at = (author: string, ts: number) => ({ author, ts });

describe('continuesGroup', () => {
  it('groups the same author within a few minutes, not past them', () => {
    expect(continuesGroup(at('bo', noon), at('bo', noon + GROUP_MS - 1), 'ana')).toBe(true);
    expect(continuesGroup(at('bo', noon), at('bo', noon + GROUP_MS), 'ana')).toBe(false);
  });

  it('never groups another author or the first message', () => {
    expect(continuesGroup(at('bo', noon), at('cy', noon + 1), 'ana')).toBe(false);
    expect(continuesGroup(undefined, at('bo', noon), 'ana')).toBe(false);
  });

  it("keeps one's own run under one name however far apart, within a day", () => {
    expect(continuesGroup(at('ana', noon), at('ana', noon + 3 * 60 * 60_000), 'ana')).toBe(true);
    expect(continuesGroup(at('ana', noon), at('ana', noon + 24 * 60 * 60_000), 'ana')).toBe(false);
  });
});
