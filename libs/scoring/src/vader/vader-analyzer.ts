import { codePointLength } from '@sentiment/events';
import {
  ALL_CAPS_INCREMENT,
  EXCLAMATION_INCREMENT,
  EXCLAMATION_MAX,
  NEGATION_SCALAR,
  NORMALIZATION_ALPHA,
  QUESTION_CAP,
  QUESTION_INCREMENT,
} from './vader-rules';
import {
  ASCII_CHAR_CLASS,
  CharClass,
  isPythonSpaceNonAscii,
  isPythonUpper,
  pythonRound,
} from './python-text-semantics';
import type { VaderLexicons } from './vader-lexicons';
import { phraseKey, VaderVocabulary } from './vader-vocabulary';

/** VADER's result: proportions of the text that are negative/neutral/positive, and the compound. */
export interface VaderPolarity {
  neg: number;
  neu: number;
  pos: number;
  /** Normalised sum of valences in [-1, 1], rounded to 4 decimals like the reference. */
  compound: number;
}

const ZERO_POLARITY: Readonly<VaderPolarity> = Object.freeze({ neg: 0, neu: 0, pos: 0, compound: 0 });

/**
 * VADER sentiment analysis, scoring exactly like cjhutto/vaderSentiment 44fc044
 * (`SentimentIntensityAnalyzer.polarity_scores`), written for speed. One pass over the
 * text's characters finds the tokens and looks each up in the vocabulary by its
 * characters (no substring for ASCII tokens); the rules then work on per-token arrays,
 * reused across calls, of word ids, valences, booster increments and flags, instead of
 * the reference's repeated lower-casing, list copies and string-keyed probes.
 *
 * Not re-entrant (the buffers are per instance); scoring is synchronous, so only sharing
 * one instance across worker threads could break that, and JavaScript cannot.
 */
export class VaderAnalyzer {
  private readonly vocabulary: VaderVocabulary;
  private readonly emojis: ReadonlyMap<number, string>;
  /** Smallest first UTF-16 unit of an emoji: any code unit below it is copied without a lookup. */
  private readonly minEmoji: number;
  private readonly NO: number;
  private readonly BUT: number;
  private readonly KIND: number;
  private readonly OF: number;
  private readonly OR: number;
  private readonly NOR: number;
  private readonly SO: number;
  private readonly THIS: number;
  private readonly NEVER: number;
  private readonly WITHOUT: number;
  private readonly DOUBT: number;
  private readonly LEAST: number;
  private readonly AT: number;
  private readonly VERY: number;

  // Per-token buffers, grown on demand and reused across calls.
  private capacity = 0;
  /** Vocabulary id of each token, -1 when unknown. */
  private ids: Int32Array = new Int32Array(0);
  /** Lexicon valence of each token, NaN when the token is not in the lexicon. */
  private lexicon: Float64Array = new Float64Array(0);
  /** Booster increment of each token, 0 when it is not a booster (no booster has 0). */
  private booster: Float64Array = new Float64Array(0);
  private allCaps: Uint8Array = new Uint8Array(0);
  /** 1 when the token negates: a negation word or anything containing "n't". */
  private negation: Uint8Array = new Uint8Array(0);
  private sentiments: Float64Array = new Float64Array(0);
  private count = 0;
  private exclamations = 0;
  private questions = 0;

  constructor(lexicons: VaderLexicons) {
    const vocabulary = new VaderVocabulary(lexicons.words);
    this.vocabulary = vocabulary;
    const r = vocabulary.ruleIds;
    this.NO = r.no;
    this.BUT = r.but;
    this.KIND = r.kind;
    this.OF = r.of;
    this.OR = r.or;
    this.NOR = r.nor;
    this.SO = r.so;
    this.THIS = r.this;
    this.NEVER = r.never;
    this.WITHOUT = r.without;
    this.DOUBT = r.doubt;
    this.LEAST = r.least;
    this.AT = r.at;
    this.VERY = r.very;
    this.emojis = lexicons.emojis;
    let min = 0xffff;
    // Compared with UTF-16 code units: an astral emoji starts with its high surrogate.
    for (const cp of lexicons.emojis.keys()) min = Math.min(min, String.fromCodePoint(cp).charCodeAt(0));
    this.minEmoji = min;
    this.grow(64);
  }

  /** Scores one text. Never throws: anything that is not a non-blank string scores all zeros. */
  polarityScores(text: unknown): VaderPolarity {
    if (typeof text !== 'string' || text.length === 0) return { ...ZERO_POLARITY };
    // Most texts hold no emoji: tokenize directly, and only when an emoji turns up
    // replace the emojis by their descriptions and tokenize that instead.
    if (!this.tokenize(text, true)) this.tokenize(this.replaceEmojis(text), false);
    const n = this.count;
    if (n === 0) return { ...ZERO_POLARITY };
    const capDiff = this.hasCapDifferential();
    const ids = this.ids;
    const booster = this.booster;
    const sentiments = this.sentiments;
    for (let i = 0; i < n; i++) {
      // Modifiers carry no valence of their own.
      if (booster[i] !== 0 || (ids[i] === this.KIND && i < n - 1 && ids[i + 1] === this.OF)) {
        sentiments[i] = 0;
      } else {
        sentiments[i] = this.valenceAt(i, capDiff);
      }
    }
    this.applyButRule();
    return this.polarity();
  }

  private grow(min: number): void {
    if (min <= this.capacity) return;
    let capacity = Math.max(64, this.capacity);
    while (capacity < min) capacity *= 2;
    const f64 = (old: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    const u8 = (old: Uint8Array): Uint8Array => {
      const next = new Uint8Array(capacity);
      next.set(old);
      return next;
    };
    const ids = new Int32Array(capacity);
    ids.set(this.ids);
    this.ids = ids;
    this.lexicon = f64(this.lexicon);
    this.booster = f64(this.booster);
    this.sentiments = f64(this.sentiments);
    this.allCaps = u8(this.allCaps);
    this.negation = u8(this.negation);
    this.capacity = capacity;
  }

  /**
   * Replaces each emoji by its description, as the reference does before tokenizing: a
   * space is inserted before the description unless the previous character was a space
   * (U+0020 only) or the start, and nothing after it, so "😂!" becomes "face with tears of joy!".
   * Returns `text` itself when it holds no emoji (the common case: no allocation).
   */
  private replaceEmojis(text: string): string {
    const len = text.length;
    const minEmoji = this.minEmoji;
    let out: string | undefined;
    let copied = 0;
    let prevSpace = true;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < minEmoji) {
        prevSpace = c === 32;
        continue;
      }
      let cp = c;
      let width = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      const description = this.emojis.get(cp);
      if (description !== undefined) {
        out = (out ?? '') + text.slice(copied, i) + (prevSpace ? description : ' ' + description);
        copied = i + width;
      }
      prevSpace = false;
      i += width - 1;
    }
    return out === undefined ? text : out + text.slice(copied);
  }

  /**
   * Splits on Python whitespace, strips ASCII punctuation from both ends of each token
   * unless that leaves two code points or fewer (emoticons such as ":)" survive), and
   * records per token its vocabulary id, lexicon valence, booster increment, negation
   * flag and whether it is ALL CAPS (Python's `isupper`). Counts "!" and "?" on the way.
   * With `stopAtEmoji`, gives up and returns false at the first emoji.
   */
  private tokenize(text: string, stopAtEmoji: boolean): boolean {
    const len = text.length;
    const vocabulary = this.vocabulary;
    const minEmoji = stopAtEmoji ? this.minEmoji : 0x110000;
    let n = 0;
    let exclamations = 0;
    let questions = 0;
    let start = -1;
    let hasUpper = false;
    let hasLower = false;
    let nonAscii = false;
    let apostropheT = false; // "n't" seen (in any case)
    for (let i = 0; i <= len; i++) {
      const c = i < len ? text.charCodeAt(i) : 32;
      let cls: number = CharClass.Other;
      let space: boolean;
      if (c < 128) {
        cls = ASCII_CHAR_CLASS[c] ?? CharClass.Other;
        space = cls === CharClass.Space;
        if (c === 33) exclamations++;
        else if (c === 63) questions++;
      } else {
        if (c >= minEmoji && this.isEmojiAt(text, i)) return false;
        space = isPythonSpaceNonAscii(c);
      }
      if (!space) {
        if (start < 0) {
          start = i;
          hasUpper = hasLower = nonAscii = apostropheT = false;
        }
        if (cls === CharClass.Upper) hasUpper = true;
        else if (cls === CharClass.Lower) hasLower = true;
        else if (c >= 128) nonAscii = true;
        else if (c === 39 && i > start && i + 1 < len && (text.charCodeAt(i - 1) | 32) === 110 && (text.charCodeAt(i + 1) | 32) === 116) {
          apostropheT = true;
        }
        continue;
      }
      if (start < 0) continue;
      // Token [start, i): strip punctuation unless too little would remain.
      let a = start;
      let b = i;
      while (a < b && ASCII_CHAR_CLASS[text.charCodeAt(a)] === CharClass.Punctuation) a++;
      while (b > a && ASCII_CHAR_CLASS[text.charCodeAt(b - 1)] === CharClass.Punctuation) b--;
      const stripped = b - a;
      if (stripped <= 2 || (stripped <= 4 && codePointLength(text, a, b) <= 2)) {
        a = start;
        b = i;
      }
      // Punctuation is never a letter, so the letter flags of the raw token hold for the stripped one.
      let id: number;
      let caps: boolean;
      let negation: boolean;
      if (nonAscii) {
        const token = text.slice(a, b);
        const lower = token.toLowerCase();
        id = vocabulary.lookup(lower, 0, lower.length);
        caps = isPythonUpper(token);
        negation = lower.includes("n't");
      } else {
        id = vocabulary.lookup(text, a, b);
        caps = hasUpper && !hasLower;
        // Stripping can cut "n't" off the end ("don't'" keeps it, "n't" alone is kept whole).
        negation = apostropheT && hasNotInside(text, a, b);
      }
      if (n === this.capacity) this.grow(n + 1);
      this.ids[n] = id;
      if (id < 0) {
        this.lexicon[n] = NaN;
        this.booster[n] = 0;
        this.negation[n] = negation ? 1 : 0;
      } else {
        this.lexicon[n] = vocabulary.valence[id] ?? NaN;
        this.booster[n] = vocabulary.booster[id] ?? 0;
        this.negation[n] = negation || vocabulary.negation[id] === 1 ? 1 : 0;
      }
      this.allCaps[n] = caps ? 1 : 0;
      n++;
      start = -1;
    }
    this.count = n;
    this.exclamations = exclamations;
    this.questions = questions;
    return true;
  }

  /** Whether the code point starting at `text[i]` is in the emoji lexicon. */
  private isEmojiAt(text: string, i: number): boolean {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return this.emojis.has(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
    }
    return this.emojis.has(c);
  }

  /** True when some, but not all, tokens are ALL CAPS: only then is capitalisation emphasis. */
  private hasCapDifferential(): boolean {
    let caps = 0;
    for (let i = 0; i < this.count; i++) caps += this.allCaps[i] ?? 0;
    return caps > 0 && caps < this.count;
  }

  private inLexicon(i: number): boolean {
    return !Number.isNaN(this.lexicon[i]);
  }

  /** Valence of token i after negation, capitalisation, boosters, idioms and "least". */
  private valenceAt(i: number, capDiff: boolean): number {
    const base = this.lexicon[i] ?? NaN;
    if (Number.isNaN(base)) return 0;
    const n = this.count;
    const ids = this.ids;
    const NO = this.NO;
    let valence = base;
    // "no" before another lexicon word negates it instead of scoring itself.
    if (ids[i] === NO && i !== n - 1 && this.inLexicon(i + 1)) valence = 0;
    if (
      (i > 0 && ids[i - 1] === NO) ||
      (i > 1 && ids[i - 2] === NO) ||
      (i > 2 && ids[i - 3] === NO && (ids[i - 1] === this.OR || ids[i - 1] === this.NOR))
    ) {
      valence = base * NEGATION_SCALAR;
    }
    if (capDiff && this.allCaps[i] === 1) valence = valence > 0 ? valence + ALL_CAPS_INCREMENT : valence - ALL_CAPS_INCREMENT;
    // Up to three preceding non-lexicon words may boost, dampen or negate.
    for (let distance = 0; distance < 3; distance++) {
      const j = i - distance - 1;
      if (j < 0 || this.inLexicon(j)) continue;
      let scalar = this.boosterScalar(j, valence, capDiff);
      if (distance === 1) scalar *= 0.95;
      else if (distance === 2) scalar *= 0.9;
      valence += scalar;
      valence = this.negationCheck(valence, distance, i);
      if (distance === 2) valence = this.idiomCheck(valence, i);
    }
    return this.leastCheck(valence, i);
  }

  private boosterScalar(j: number, valence: number, capDiff: boolean): number {
    let scalar = this.booster[j] ?? 0;
    if (scalar === 0) return 0;
    if (valence < 0) scalar = -scalar;
    if (capDiff && this.allCaps[j] === 1) scalar = valence > 0 ? scalar + ALL_CAPS_INCREMENT : scalar - ALL_CAPS_INCREMENT;
    return scalar;
  }

  private negationCheck(valence: number, distance: number, i: number): number {
    const ids = this.ids;
    if (distance === 0) {
      return this.negation[i - 1] === 1 ? valence * NEGATION_SCALAR : valence;
    }
    const w1 = ids[i - 1];
    const w2 = ids[i - 2];
    if (distance === 1) {
      if (w2 === this.NEVER && (w1 === this.SO || w1 === this.THIS)) return valence * 1.25;
      if (w2 === this.WITHOUT && w1 === this.DOUBT) return valence;
      return this.negation[i - 2] === 1 ? valence * NEGATION_SCALAR : valence;
    }
    const w3 = ids[i - 3];
    // "never so good" / "never this good" intensify; so does any "so"/"this" right before.
    if ((w3 === this.NEVER && (w2 === this.SO || w2 === this.THIS)) || w1 === this.SO || w1 === this.THIS) {
      return valence * 1.25;
    }
    if (w3 === this.WITHOUT && (w2 === this.DOUBT || w1 === this.DOUBT)) return valence;
    return this.negation[i - 3] === 1 ? valence * NEGATION_SCALAR : valence;
  }

  /** Reached only for i >= 3 whose third predecessor is not a lexicon word, as in the reference. */
  private idiomCheck(valence: number, i: number): number {
    const ids = this.ids;
    const n = this.count;
    const special = this.vocabulary.specialCases;
    const w0 = ids[i];
    const w1 = ids[i - 1];
    const w2 = ids[i - 2];
    const w3 = ids[i - 3];
    // The first matching phrase ending at or just before the word wins ...
    let v = special.get(phraseKey(w1, w0));
    if (v === undefined) v = special.get(phraseKey(w2, w1, w0));
    if (v === undefined) v = special.get(phraseKey(w2, w1));
    if (v === undefined) v = special.get(phraseKey(w3, w2, w1));
    if (v === undefined) v = special.get(phraseKey(w3, w2));
    if (v !== undefined) valence = v;
    // ... then phrases starting at the word override it.
    if (n - 1 > i) {
      const next = special.get(phraseKey(w0, ids[i + 1]));
      if (next !== undefined) valence = next;
    }
    if (n - 1 > i + 1) {
      const next = special.get(phraseKey(w0, ids[i + 1], ids[i + 2]));
      if (next !== undefined) valence = next;
    }
    // Multi-word dampeners ("kind of", "sort of") before the word.
    const boosters = this.vocabulary.boosterPhrases;
    valence += boosters.get(phraseKey(w3, w2, w1)) ?? 0;
    valence += boosters.get(phraseKey(w3, w2)) ?? 0;
    valence += boosters.get(phraseKey(w2, w1)) ?? 0;
    return valence;
  }

  private leastCheck(valence: number, i: number): number {
    if (i === 0 || this.ids[i - 1] !== this.LEAST || this.inLexicon(i - 1)) return valence;
    if (i > 1) {
      const before = this.ids[i - 2];
      return before !== this.AT && before !== this.VERY ? valence * NEGATION_SCALAR : valence;
    }
    return valence * NEGATION_SCALAR;
  }

  /**
   * The contrastive "but": valences before the first "but" are halved, after it
   * multiplied by 1.5. The reference locates each value with `list.index(value)`, i.e.
   * the FIRST position currently holding an equal value, while it rewrites the list; when
   * a rewritten value equals a later one, the wrong position is rewritten ("It was nice
   * but okay": nice 1.8 -> 0.9, then okay 0.9 finds nice's position and halves it again).
   * We reproduce that exactly. At step k that position is <= k and only positions < k
   * can have been rewritten, so a map from value to the sorted positions holding it
   * (filled as k advances) answers each lookup without rescanning: linear for real texts.
   * Zeros are skipped: rewriting a zero leaves a zero.
   */
  private applyButRule(): void {
    const n = this.count;
    const ids = this.ids;
    let but = -1;
    for (let i = 0; i < n; i++) {
      if (ids[i] === this.BUT) {
        but = i;
        break;
      }
    }
    if (but < 0) return;
    const s = this.sentiments;
    const positions = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const v = s[k] ?? 0;
      if (v === 0) continue;
      let list = positions.get(v);
      if (list === undefined) positions.set(v, (list = [k]));
      else list.push(k); // k exceeds every position seen so far
      const first = list[0] ?? k;
      if (first === but) continue;
      const rewritten = first < but ? v * 0.5 : v * 1.5;
      s[first] = rewritten;
      list.shift();
      if (list.length === 0) positions.delete(v);
      const target = positions.get(rewritten);
      if (target === undefined) positions.set(rewritten, [first]);
      else target.splice(sortedIndex(target, first), 0, first);
    }
  }

  /** Sums the valences, adds punctuation emphasis, normalises, and splits into proportions. */
  private polarity(): VaderPolarity {
    const n = this.count;
    const s = this.sentiments;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += s[i] ?? 0;
    const exclamations = Math.min(this.exclamations, EXCLAMATION_MAX);
    const questions = this.questions;
    const questionEmphasis = questions > 1 ? (questions <= 3 ? questions * QUESTION_INCREMENT : QUESTION_CAP) : 0;
    const emphasis = exclamations * EXCLAMATION_INCREMENT + questionEmphasis;
    if (sum > 0) sum += emphasis;
    else if (sum < 0) sum -= emphasis;
    let compound = sum / Math.sqrt(sum * sum + NORMALIZATION_ALPHA);
    if (compound < -1) compound = -1;
    else if (compound > 1) compound = 1;

    let posSum = 0;
    let negSum = 0;
    let neutral = 0;
    for (let i = 0; i < n; i++) {
      const v = s[i] ?? 0;
      // +-1 so that a sentiment word weighs more than a neutral word (which counts 1).
      if (v > 0) posSum += v + 1;
      else if (v < 0) negSum += v - 1;
      else neutral++;
    }
    if (posSum > Math.abs(negSum)) posSum += emphasis;
    else if (posSum < Math.abs(negSum)) negSum -= emphasis;
    const total = posSum + Math.abs(negSum) + neutral;
    return {
      neg: pythonRound(Math.abs(negSum / total), 3),
      neu: pythonRound(Math.abs(neutral / total), 3),
      pos: pythonRound(Math.abs(posSum / total), 3),
      compound: pythonRound(compound, 4),
    };
  }
}

/** Whether the lower-cased `text[from, to)` contains "n't". */
function hasNotInside(text: string, from: number, to: number): boolean {
  for (let k = from + 1; k + 1 < to; k++) {
    if (text.charCodeAt(k) === 39 && (text.charCodeAt(k - 1) | 32) === 110 && (text.charCodeAt(k + 1) | 32) === 116) return true;
  }
  return false;
}

/** Position at which `value` keeps the ascending array sorted. */
function sortedIndex(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
