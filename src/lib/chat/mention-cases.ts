/**
 * The rows of the mention rule (`mentions.ts`), shared by the specs of every place that
 * reads mentions (the rule itself, the message text segmenter, Web Push recipients, the
 * page's own notifications), so they cannot drift apart again. Test data only.
 */

/** `text` mentions `username` exactly when `mentioned`; `why` names the row. */
export interface MentionCase {
  text: string;
  username: string;
  mentioned: boolean;
  why: string;
}

export const MENTION_CASES: readonly MentionCase[] = [
  { text: '@ana hi', username: 'ana', mentioned: true, why: 'at the start' },
  { text: 'hi @ana', username: 'ana', mentioned: true, why: 'after a space' },
  { text: 'hi\n@ana', username: 'ana', mentioned: true, why: 'after a line break' },
  { text: 'hi:@ana', username: 'ana', mentioned: true, why: 'after a colon (push notified, the list did not highlight)' },
  { text: '(@ana)', username: 'ana', mentioned: true, why: 'in parentheses' },
  { text: '"@ana"', username: 'ana', mentioned: true, why: 'in quotes' },
  { text: 'hi,@ana', username: 'ana', mentioned: true, why: 'after a comma' },
  { text: 'thanks @ana.', username: 'ana', mentioned: true, why: 'a full stop ends the sentence' },
  { text: 'thanks @ana...', username: 'ana', mentioned: true, why: 'an ellipsis ends the sentence' },
  { text: '@ana, hi', username: 'ana', mentioned: true, why: 'a comma ends the name' },
  { text: 'hi @ana!', username: 'ana', mentioned: true, why: 'an exclamation mark ends the name' },
  { text: "@ana's idea", username: 'ana', mentioned: true, why: 'an apostrophe ends the name' },
  { text: 'hi @ANA', username: 'ana', mentioned: true, why: 'case-insensitive' },
  { text: 'hi @ana', username: 'Ana', mentioned: true, why: 'case-insensitive either way' },
  { text: 'ping @bo and @ana', username: 'ana', mentioned: true, why: 'the second of two' },
  { text: 'mail bo@ana.com', username: 'ana', mentioned: false, why: 'an e-mail address' },
  { text: 'josé@ana.org', username: 'ana', mentioned: false, why: 'an e-mail address with a non-ASCII local part' },
  { text: '@anabel', username: 'ana', mentioned: false, why: 'a longer name' },
  { text: '@ana_', username: 'ana', mentioned: false, why: '_ is part of a name' },
  { text: '@ana.bo', username: 'ana', mentioned: false, why: '. inside a name: it names ana.bo (the page notified ana)' },
  { text: '@ana.bo', username: 'ana.bo', mentioned: true, why: 'a name with a dot' },
  { text: 'ask @ana-bo.', username: 'ana-bo', mentioned: true, why: 'a name with a dash, then a full stop' },
  { text: 'ask @ana_bo', username: 'ana_bo', mentioned: true, why: 'a name with an underscore' },
  { text: 'hi @anaé', username: 'ana', mentioned: false, why: 'a letter outside the charset continues the word' },
  { text: '@ana@example.org', username: 'ana', mentioned: false, why: 'a handle on another server' },
  { text: '@@ana', username: 'ana', mentioned: false, why: 'a doubled @' },
  { text: 'see example.org/@ana', username: 'ana', mentioned: false, why: 'a path' },
  { text: 'see https://example.org/@ana', username: 'ana', mentioned: false, why: 'inside a link' },
  { text: 'ana', username: 'ana', mentioned: false, why: 'no @' },
  { text: '@ ana', username: 'ana', mentioned: false, why: 'a space after @' }
];
