import { describe, expect, it } from 'vitest';
import { snippet } from './snippet';

const marked = (parts: { text: string; match: boolean }[]) => parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

describe('snippet', () => {
  it('marks each word start the query found, in the text as written', () => {
    expect(marked(snippet('The Meeting moved; meet me there', ['mee']))).toBe('The [Mee]ting moved; [mee]t me there');
  });

  it('marks accented text from a folded query, keeping the accents', () => {
    expect(marked(snippet('Un café à Zürich', ['cafe', 'zu']))).toBe('Un [café] à [Zü]rich');
  });

  it('does not mark inside a word', () => {
    expect(marked(snippet('cement and meat', ['me']))).toBe('cement and [me]at');
  });

  it('cuts a long text around the first match, at word boundaries', () => {
    const text = `${'word '.repeat(40)}target ${'tail '.repeat(40)}`.trim();
    const out = marked(snippet(text, ['target'], { before: 12, length: 40 }));
    expect(out.startsWith('…word')).toBe(true);
    expect(out).toContain('[target]');
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThan(50);
  });

  it('gives the start of the text when nothing matches', () => {
    expect(marked(snippet('short text', ['zzz']))).toBe('short text');
  });
});
