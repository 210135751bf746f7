import { textTokens } from '$lib/chat/mentions';

/**
 * Splits message text into plain text, links and @mentions, for rendering as text nodes
 * and elements (never as HTML). Links are http(s) only; anything else stays text.
 * Which `@word` is a mention is the one rule in `$lib/chat/mentions`.
 */

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; username: string };

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?'")\]}]+$/u;

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * `usernames` are the people who can be mentioned (matched case-insensitively); an
 * `@word` naming nobody stays text.
 */
export function segmentText(text: string, usernames: Iterable<string> = []): Segment[] {
  const known = new Map<string, string>();
  for (const name of usernames) known.set(name.toLowerCase(), name);
  const out: Segment[] = [];
  let plain = '';
  let at = 0;
  const flush = () => {
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
  };
  for (const token of textTokens(text)) {
    plain += text.slice(at, token.start);
    at = token.start + token.text.length;
    if (token.kind === 'mention') {
      const username = known.get(token.name.toLowerCase());
      if (username) {
        flush();
        out.push({ kind: 'mention', text: token.text, username });
      } else plain += token.text;
      continue;
    }
    const trailing = TRAILING.exec(token.text)?.[0] ?? '';
    // keep a closing parenthesis that belongs to the URL, as in Wikipedia links
    const keepParen = trailing.startsWith(')') && token.text.slice(0, -trailing.length).includes('(');
    const cut = keepParen ? trailing.slice(1) : trailing;
    const link = cut ? token.text.slice(0, -cut.length) : token.text;
    const href = safeHref(link);
    if (href) {
      flush();
      out.push({ kind: 'link', text: link, href });
    } else plain += link;
    plain += cut;
  }
  plain += text.slice(at);
  flush();
  return out;
}
