/**
 * The one @mention rule. The message list's highlighting and mention pills, the sync
 * server's Web Push recipients and urgency, and the page's own notifications all read
 * mentions through here, so a message that notifies someone also highlights for them.
 *
 * The rule (SPEC 19, rows in mentions.spec.ts):
 * - `@` starts a mention at the start of the text or after anything that is not a letter,
 *   digit, mark, `_`, `.`, `-`, `@` or `/`: whitespace and punctuation (`hi:@ana`,
 *   `(@ana)`, `"@ana"`) do; `bo@ana.com` (an e-mail address) and `example.org/@ana` (a
 *   path) do not.
 * - The name is the longest run of username characters (`A-Z a-z 0-9 _ . -`, the charset
 *   of `UsernameSchema` in `src/lib/server/users.ts`) after the `@`, less any trailing `.`
 *   or `-`, which end the sentence (`@ana.`, `@ana-`, `@ana...`). So `@ana.bo` names the
 *   user `ana.bo` and never `ana`: `.` may sit inside a username, and reading `@ana.bo` as
 *   `ana` would notify ana for a message meant for ana.bo (the same reason `@anabel` is
 *   not ana). Punctuation that cannot be in a username ends the name: `@ana,` `@ana!`.
 * - A name followed by a letter outside the charset (`@anaé`) or by `@` (`@ana@host`, a
 *   handle elsewhere) names nobody here.
 * - Names compare case-insensitively (usernames are unique case-insensitively).
 * - Nothing inside a link is a mention (`https://x.org/@ana`): the link wins, as shown.
 */

/** A piece of text that is neither plain: a link candidate or an @mention, as written. */
export type TextToken =
  | { kind: 'link'; start: number; text: string }
  /** `text` is `@` and the name as written; `name` is the name (not lower-cased). */
  | { kind: 'mention'; start: number; text: string; name: string };

/** Link candidates (checked further by the segmenter) and @name runs, in one pass. */
const TOKEN = /https?:\/\/[^\s<>"]+|@[A-Za-z0-9_.-]+/giu;
/** What may not stand right before a mention's `@` (word characters, e-mail and path parts). */
const BEFORE = /[\p{L}\p{N}\p{M}_.@/-]/u;
/** What may not follow a mention's name: more of a word, or a remote handle's `@`. */
const AFTER = /[\p{L}\p{N}\p{M}@]/u;
/** Sentence punctuation that a name cannot end in. */
const TRAILING = /[.-]+$/u;

/**
 * The links and @mentions of `text`, in order. A link is only a candidate (the caller
 * decides what to link); an `@word` that fails the rule above is left out (it is text).
 */
export function textTokens(text: string): TextToken[] {
  const out: TextToken[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const token = match[0];
    if (!token.startsWith('@')) {
      out.push({ kind: 'link', start, text: token });
      continue;
    }
    const name = token.slice(1).replace(TRAILING, '');
    const before = text[start - 1];
    const after = text.slice(start + token.length).match(/^./u)?.[0];
    if (name === '' || (before !== undefined && BEFORE.test(before)) || (after !== undefined && AFTER.test(after))) continue;
    out.push({ kind: 'mention', start, text: '@' + name, name });
  }
  return out;
}

/** The lower-cased names `text` mentions (one pass, however many members a room has). */
export function mentionedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const token of textTokens(text)) if (token.kind === 'mention') names.add(token.name.toLowerCase());
  return names;
}

/** Whether `text` mentions `username` (case-insensitively). */
export function mentions(text: string, username: string): boolean {
  return mentionedNames(text).has(username.toLowerCase());
}
