/**
 * Search compares text folded: lower case, accents and other combining marks removed
 * ("Café" and "cafe" are one word). The index folds each word it stores and each word of a
 * query the same way; snippets fold the message text with a map back to the original, so
 * the match can be marked in the text as written.
 */

const MARKS = /\p{M}/gu;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** Folds one piece of text (a word, a query). */
export function fold(text: string): string {
  // Most chat text is ASCII: no marks to take off, and normalizing costs more than the rest.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** A text folded, with where each folded UTF-16 unit came from in the original. */
export interface FoldedText {
  folded: string;
  /** `origin[i]` is the index in the original of the character folded into `folded[i]`; one more entry for the end. */
  origin: number[];
}

/** Folds `text` character by character, so folded positions map back to the original. */
export function foldWithOrigin(text: string): FoldedText {
  let folded = '';
  const origin: number[] = [];
  let at = 0;
  for (const char of text) {
    const part = fold(char);
    for (let k = 0; k < part.length; k++) origin.push(at);
    folded += part;
    at += char.length;
  }
  origin.push(at);
  return { folded, origin };
}
