import { splitLongText } from './split-long-text';
import { isWhitespace } from './word-count';

/** Default character budget of a VADER chunk: a few sentences, well before compound saturates. */
export const DEFAULT_SENTENCE_CHUNK_CHARS = 1_000;

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']']);

/**
 * Ends of sentences in `text`: after `.`, `!`, `?` or `…` (plus closing quotes and brackets)
 * followed by whitespace, which is kept with the sentence, or after a line break.
 * A hand-written scan rather than a regex, so a run of "!!!!" stays linear.
 */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') {
      while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
      ends.push(i);
      continue;
    }
    if (TERMINATORS.has(ch)) {
      while (i < text.length && TERMINATORS.has(text[i] as string)) i++;
      while (i < text.length && CLOSERS.has(text[i] as string)) i++;
      if (i < text.length && isWhitespace(text.charCodeAt(i))) {
        while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
        ends.push(i);
      }
      continue;
    }
    i++;
  }
  return ends;
}

/**
 * A chunk function for scorers without a token limit (VADER): a text within `maxChars` is
 * returned whole, so a short text's score stays exactly VADER's own; a longer one is packed
 * into chunks of whole sentences up to `maxChars` (a sentence longer than that is cut at
 * whitespace). VADER's compound saturates towards ±1 on long texts, which is why long
 * texts are split at all.
 */
export function sentenceChunker(maxChars: number = DEFAULT_SENTENCE_CHUNK_CHARS): (text: string) => string[] {
  const budget = Math.max(2, Math.floor(maxChars));
  return (text: string): string[] => {
    if (text.length <= budget) return [text];
    const out: string[] = [];
    // Chunk under construction is text[chunkStart, chunkEnd).
    let chunkStart = 0;
    let chunkEnd = 0;
    const take = (sentenceEnd: number): void => {
      if (sentenceEnd - chunkStart <= budget) {
        chunkEnd = sentenceEnd;
        return;
      }
      if (chunkEnd > chunkStart) out.push(text.slice(chunkStart, chunkEnd));
      chunkStart = chunkEnd;
      if (sentenceEnd - chunkStart <= budget) {
        chunkEnd = sentenceEnd;
        return;
      }
      for (const piece of splitLongText(text.slice(chunkStart, sentenceEnd), budget)) out.push(piece);
      chunkStart = chunkEnd = sentenceEnd;
    };
    for (const end of sentenceEnds(text)) take(end);
    if (text.length > chunkEnd) take(text.length);
    if (chunkEnd > chunkStart) out.push(text.slice(chunkStart, chunkEnd));
    return out;
  };
}
