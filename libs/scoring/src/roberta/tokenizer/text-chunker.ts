/** What the chunker needs from a tokenizer. */
export interface TokenCounter {
  /** Tokens of `text` with <s> and </s>, before any truncation. */
  countTokens(text: string): number;
  /** Tokens of `text` alone (no special tokens), preprocessing included. */
  countContentTokens(text: string): number;
  /** How many special tokens wrap every encoding (RoBERTa: <s> and </s>). */
  readonly specialTokenCount: number;
}

/** A slice of the text that is never split further: a word, or a piece of an over-long word. */
interface Unit {
  start: number;
  end: number;
  /** Content tokens when the unit opens a window (no whitespace before it). */
  costFirst: number;
  /** Content tokens when it follows the previous unit, with the whitespace between them. */
  costNext: number;
  /** A sentence ends just before this unit: a good place to start a window. */
  sentenceStart: boolean;
}

// A word ending a sentence: terminal punctuation, optionally followed by closing quotes/brackets.
const SENTENCE_END = /[.!?…]["'”’)\]]*$/u;

/** Splits an over-long word at code-point boundaries into pieces that each fit `budget` content tokens. */
function splitLongWord(text: string, start: number, end: number, budget: number, counter: TokenCounter): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  // Offsets of code-point boundaries, so a piece never cuts a surrogate pair.
  const bounds: number[] = [];
  for (let i = start; i < end; ) {
    bounds.push(i);
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
  }
  bounds.push(end);
  let from = 0;
  while (from < bounds.length - 1) {
    // Largest `to` with text[bounds[from]..bounds[to]) fitting; at least one code point per piece.
    let lo = from + 1;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      const fits = counter.countContentTokens(text.slice(bounds[from], bounds[mid])) <= budget;
      if (fits) lo = mid;
      else hi = mid - 1;
    }
    pieces.push([bounds[from] as number, bounds[lo] as number]);
    from = lo;
  }
  return pieces;
}

function unitsOf(text: string, budget: number, count: (segment: string) => number, counter: TokenCounter): Unit[] {
  const units: Unit[] = [];
  let previousEnd = -1;
  let previousWord = '';
  for (const match of text.matchAll(/\S+/gu)) {
    const start = match.index;
    const end = start + match[0].length;
    const costFirst = count(match[0]);
    const gap = previousEnd < 0 ? '' : text.slice(previousEnd, start);
    const sentenceStart = previousEnd >= 0 && (SENTENCE_END.test(previousWord) || gap.includes('\n'));
    if (costFirst <= budget) {
      const costNext = previousEnd < 0 ? costFirst : count(gap + match[0]);
      units.push({ start, end, costFirst, costNext, sentenceStart });
    } else {
      splitLongWord(text, start, end, budget, counter).forEach(([s, e], i) => {
        const cost = count(text.slice(s, e));
        // The first piece still follows its whitespace; later pieces follow the previous piece directly.
        const costNext = i === 0 && previousEnd >= 0 ? count(gap + text.slice(s, e)) : cost;
        units.push({ start: s, end: e, costFirst: cost, costNext, sentenceStart: i === 0 && sentenceStart });
      });
    }
    previousEnd = end;
    previousWord = match[0];
  }
  return units;
}

/**
 * Splits `text` into windows that each encode to at most `maxTokens` tokens (special tokens
 * included). A text that fits is returned unchanged as the only window. Otherwise windows are
 * trimmed, consecutive slices of the text: only whitespace lies between two windows, so no word
 * is lost. Windows break between words, preferring a sentence end (terminal punctuation or a
 * line break) in the second half of a window; a single word longer than a window is cut at
 * code-point boundaries.
 */
export function chunkText(text: string, maxTokens: number, counter: TokenCounter): string[] {
  if (counter.countTokens(text) <= maxTokens) return [text];
  const budget = maxTokens - counter.specialTokenCount;
  if (budget < 1) throw new RangeError(`maxTokens must leave room for content (got ${maxTokens})`);

  // Words repeat a lot in real text: memoizing segment counts makes chunking several times faster.
  const memo = new Map<string, number>();
  const count = (segment: string): number => {
    let n = memo.get(segment);
    if (n === undefined) {
      n = counter.countContentTokens(segment);
      memo.set(segment, n);
    }
    return n;
  };
  const units = unitsOf(text, budget, count, counter);
  const windows: string[] = [];
  let first = 0;
  while (first < units.length) {
    const opening = units[first] as Unit;
    // Grow the window while the (additive, slightly pessimistic) estimate fits.
    let used = opening.costFirst;
    let end = first + 1;
    while (end < units.length && used + (units[end] as Unit).costNext <= budget) {
      used += (units[end] as Unit).costNext;
      end += 1;
    }
    if (end < units.length) {
      // Prefer ending at a sentence boundary if it keeps at least half the window.
      for (let k = end - 1; k > first; k -= 1) {
        if ((units[k] as Unit).sentenceStart && k - first >= (end - first) / 2) {
          end = k;
          break;
        }
      }
    }
    // Verify with a real encoding; shrink if the estimate was optimistic (never below one unit,
    // which fits on its own by construction).
    let window = text.slice(opening.start, (units[end - 1] as Unit).end);
    while (end - 1 > first && counter.countTokens(window) > maxTokens) {
      end -= 1;
      window = text.slice(opening.start, (units[end - 1] as Unit).end);
    }
    windows.push(window);
    first = end;
  }
  return windows;
}
