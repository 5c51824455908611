import { isWhitespace } from './word-count';

/**
 * Cuts `text` into consecutive pieces of at most `maxChars` characters, preferring to cut
 * just after whitespace found in the second half of a piece; never splits a surrogate pair.
 * Linear: every piece but the last is at least half of `maxChars` when whitespace is found,
 * and the backward scan never goes further than that half.
 */
export function* splitLongText(text: string, maxChars: number): Generator<string> {
  const limit = Math.max(2, Math.floor(maxChars));
  let pos = 0;
  while (text.length - pos > limit) {
    let end = pos + limit;
    const floor = pos + Math.floor(limit / 2);
    let cut = -1;
    for (let i = end - 1; i >= floor; i--) {
      if (isWhitespace(text.charCodeAt(i))) {
        cut = i + 1;
        break;
      }
    }
    if (cut > pos) {
      end = cut;
    } else {
      const before = text.charCodeAt(end - 1);
      // A high surrogate at the end would orphan its low half in the next piece.
      if (before >= 0xd800 && before <= 0xdbff) end -= 1;
    }
    yield text.slice(pos, end);
    pos = end;
  }
  if (pos < text.length) yield pos === 0 ? text : text.slice(pos);
}
