/**
 * Splits message text into plain text, links and @mentions, for rendering as text nodes
 * and elements (never as HTML). Links are http(s) only; anything else stays text.
 */

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; username: string };

const TOKEN = /https?:\/\/[^\s<>"]+|@[A-Za-z0-9_.-]+/giu;
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
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    let token = match[0];
    plain += text.slice(at, start);
    at = start + token.length;
    if (token.startsWith('@')) {
      // "@ana." and "@ana," mention ana: a name never ends in punctuation here
      const name = token.slice(1).replace(/[.-]+$/u, '');
      const username = known.get(name.toLowerCase());
      if (username && (start === 0 || /[\s([{"']/u.test(text[start - 1] ?? ''))) {
        flush();
        out.push({ kind: 'mention', text: '@' + name, username });
        plain += token.slice(1 + name.length);
      } else plain += token;
      continue;
    }
    const trailing = TRAILING.exec(token)?.[0] ?? '';
    // keep a closing parenthesis that belongs to the URL, as in Wikipedia links
    const keepParen = trailing.startsWith(')') && token.slice(0, -trailing.length).includes('(');
    const cut = keepParen ? trailing.slice(1) : trailing;
    token = cut ? token.slice(0, -cut.length) : token;
    const href = safeHref(token);
    if (href) {
      flush();
      out.push({ kind: 'link', text: token, href });
    } else plain += token;
    plain += cut;
  }
  plain += text.slice(at);
  flush();
  return out;
}

/** Whether `text` mentions `username` (for highlighting a message to its mentioned user). */
export function mentions(text: string, username: string): boolean {
  return segmentText(text, [username]).some((s) => s.kind === 'mention');
}
