import { describe, expect, it } from 'vitest';
import { peersFromStates, typingLine } from './presence';

describe('peersFromStates', () => {
  it('merges tabs per person, leaves out oneself and malformed states', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'me', name: 'me' }, typing: true }],
      [2, { user: { id: 'ana', name: 'Ana', color: 'red' }, typing: false, active: true }],
      [3, { user: { id: 'ana', name: 'Ana', color: 'red' }, typing: true, active: false }],
      [4, {}],
      [5, null],
      [6, { user: { id: 42 } }]
    ]);
    expect(peersFromStates(states, 'me')).toEqual([{ id: 'ana', name: 'Ana', color: 'red', typing: true, active: true }]);
  });
});

describe('typingLine', () => {
  it('names one or two people and counts more', () => {
    expect(typingLine([])).toBe('');
    expect(typingLine(['Ana'])).toBe('Ana is typing…');
    expect(typingLine(['Ana', 'Bo'])).toBe('Ana and Bo are typing…');
    expect(typingLine(['Ana', 'Bo', 'Cy'])).toBe('Several people are typing…');
  });
});
