import { foldWithOrigin } from './fold';

/** A piece of a snippet; `match` pieces are what the query found (shown marked). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SnippetOptions {
  /** Characters of context kept before the first match. @default 30 */
  before?: number;
  /** Longest snippet, in characters of the original text. @default 140 */
  length?: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The part of `text` around the first word that starts with one of `terms` (folded, as the
 * index stores words), cut at word boundaries where it can be, with every such word start
 * marked. A text without a match gives its beginning, unmarked.
 */
export function snippet(text: string, terms: readonly string[], options: SnippetOptions = {}): SnippetPart[] {
  const before = options.before ?? 30;
  const length = options.length ?? 140;
  const { folded, origin } = foldWithOrigin(text);
  const wanted = terms.filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  // A match starts a word: no letter or digit right before it (as the index splits words).
  const pattern = wanted.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${wanted.map(escapeRegExp).join('|')})`, 'gu') : null;
  const matches: { start: number; end: number }[] = [];
  if (pattern) {
    for (const m of folded.matchAll(pattern)) matches.push({ start: origin[m.index]!, end: origin[m.index + m[0].length]! });
  }
  let from = 0;
  const first = matches[0];
  if (first && first.start > before) {
    from = first.start - before;
    const space = text.indexOf(' ', from);
    if (space >= 0 && space < first.start) from = space + 1;
  }
  let to = Math.min(text.length, from + length);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > (first?.end ?? from)) to = space;
  }
  const parts: SnippetPart[] = [];
  const push = (piece: string, match: boolean) => {
    if (piece) parts.push({ text: piece, match });
  };
  if (from > 0) push('…', false);
  let at = from;
  for (const m of matches) {
    if (m.end <= at || m.start >= to) continue;
    push(text.slice(at, Math.max(at, m.start)), false);
    push(text.slice(Math.max(at, m.start), Math.min(m.end, to)), true);
    at = Math.min(m.end, to);
  }
  push(text.slice(at, to), false);
  if (to < text.length) push('…', false);
  return parts;
}
