import { BOOSTERS, NEGATIONS, SPECIAL_CASES } from './vader-rules';

/** Words the rules compare tokens with; they get ids even when no lexicon lists them. */
export const RULE_WORDS = [
  'no', 'but', 'kind', 'of', 'or', 'nor', 'so', 'this', 'never', 'without', 'doubt', 'least', 'at', 'very',
] as const;
export type RuleWord = (typeof RULE_WORDS)[number];

/** Ids are packed into phrase keys (three per number), so they must stay below this. */
const ID_LIMIT = 1 << 17;

/**
 * Every word VADER knows (lexicon words, boosters, negations, words of the rules and
 * idioms), each with a small integer id, in an open-addressing hash table keyed by UTF-16
 * code units. Looking a token up straight from the text's characters, lower-casing ASCII
 * on the fly, means an ASCII token costs no substring, no `toLowerCase` and no string
 * hashing: that was two thirds of the analyzer's time with a `Map<string, ...>`.
 */
export class VaderVocabulary {
  /** Lexicon valence per id, NaN when the word is not in the lexicon. */
  readonly valence: Float64Array;
  /** Booster increment per id, 0 when the word is not a booster. */
  readonly booster: Float64Array;
  /** 1 when the word is a negation ("not", "never", "without", ...). */
  readonly negation: Uint8Array;
  /** Id of each rule word. */
  readonly ruleIds: Readonly<Record<RuleWord, number>>;
  /** Idiom valences keyed by `phraseKey` of their words' ids. */
  readonly specialCases: ReadonlyMap<number, number>;
  /** Multi-word booster increments ("kind of") keyed by `phraseKey`. */
  readonly boosterPhrases: ReadonlyMap<number, number>;

  private readonly chars: Uint16Array;
  private readonly start: Int32Array;
  private readonly length: Int32Array;
  /** Hash slots holding id + 1 (0 = empty). */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(lexicon: ReadonlyMap<string, number>) {
    const words: string[] = [];
    const ids = new Map<string, number>();
    const idOf = (word: string): number => {
      let id = ids.get(word);
      if (id === undefined) {
        id = words.length;
        words.push(word);
        ids.set(word, id);
      }
      return id;
    };
    for (const word of lexicon.keys()) idOf(word);
    for (const word of BOOSTERS.keys()) if (!word.includes(' ')) idOf(word);
    for (const word of NEGATIONS) idOf(word);
    for (const word of RULE_WORDS) idOf(word);
    const phraseIds = (phrase: string): number[] => phrase.split(' ').map(idOf);
    const specialCases = new Map<number, number>();
    for (const [phrase, value] of SPECIAL_CASES) {
      const parts = phraseIds(phrase);
      if (parts.length >= 2 && parts.length <= 3) specialCases.set(phraseKey(parts[0], parts[1], parts[2]), value);
    }
    const boosterPhrases = new Map<number, number>();
    for (const [phrase, value] of BOOSTERS) {
      const parts = phraseIds(phrase);
      if (parts.length >= 2 && parts.length <= 3) boosterPhrases.set(phraseKey(parts[0], parts[1], parts[2]), value);
    }
    if (words.length >= ID_LIMIT) throw new RangeError(`VADER vocabulary too large: ${words.length} words`);

    const n = words.length;
    this.valence = new Float64Array(n).fill(NaN);
    this.booster = new Float64Array(n);
    this.negation = new Uint8Array(n);
    for (const [word, valence] of lexicon) this.valence[ids.get(word) ?? -1] = valence;
    for (const [word, value] of BOOSTERS) {
      const id = ids.get(word);
      if (id !== undefined) this.booster[id] = value;
    }
    for (const word of NEGATIONS) this.negation[ids.get(word) ?? -1] = 1;
    const ruleIds = {} as Record<RuleWord, number>;
    for (const word of RULE_WORDS) ruleIds[word] = ids.get(word) ?? -1;
    this.ruleIds = ruleIds;
    this.specialCases = specialCases;
    this.boosterPhrases = boosterPhrases;

    let total = 0;
    for (const word of words) total += word.length;
    this.chars = new Uint16Array(total);
    this.start = new Int32Array(n);
    this.length = new Int32Array(n);
    let size = 16;
    while (size < n * 4) size *= 2; // load factor <= 1/4: short probe sequences
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let offset = 0;
    for (let id = 0; id < n; id++) {
      const word = words[id] ?? '';
      this.start[id] = offset;
      this.length[id] = word.length;
      let h = FNV_OFFSET;
      for (let k = 0; k < word.length; k++) {
        const c = word.charCodeAt(k);
        this.chars[offset++] = c;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      let slot = h & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    }
  }

  /**
   * Id of the lower-cased `text[from, to)`, or -1. Only A-Z are lower-cased here: callers
   * pass non-ASCII tokens already lower-cased with `toLowerCase` (Python's `str.lower`).
   */
  lookup(text: string, from: number, to: number): number {
    let h = FNV_OFFSET;
    for (let k = from; k < to; k++) {
      let c = text.charCodeAt(k);
      if (c >= 65 && c <= 90) c += 32;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const len = to - from;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.length[id] !== len) continue;
      let at = this.start[id] ?? 0;
      let k = from;
      for (; k < to; k++, at++) {
        let c = text.charCodeAt(k);
        if (c >= 65 && c <= 90) c += 32;
        if (this.chars[at] !== c) break;
      }
      if (k === to) return id;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** One number for a phrase of two or three word ids (-1 when a word is unknown, so no phrase matches). */
export function phraseKey(a: number | undefined, b: number | undefined, c?: number): number {
  if (a === undefined || b === undefined || a < 0 || b < 0) return -1;
  const two = a * ID_LIMIT + b;
  if (c === undefined) return two;
  return c < 0 ? -1 : two * ID_LIMIT + c;
}
