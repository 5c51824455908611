/**
 * The few Python `str` behaviours VADER's results depend on, reproduced exactly:
 * JavaScript's nearest equivalents (`trim`, `toUpperCase` comparisons, `toFixed`)
 * differ on edge cases that do occur in tweets.
 */

/** Character classes of ASCII code units, for the tokenizer's single pass. */
export const CharClass = {
  Other: 0,
  Space: 1,
  Punctuation: 2,
  Upper: 3,
  Lower: 4,
} as const;

/** `CHAR_CLASS[c]` for c < 128: whitespace per Python, `string.punctuation`, A-Z, a-z, other. */
export const ASCII_CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  // Python's str.split() also splits on the ASCII separators U+001C..U+001F.
  for (const c of [9, 10, 11, 12, 13, 28, 29, 30, 31, 32]) table[c] = CharClass.Space;
  for (const ch of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') table[ch.charCodeAt(0)] = CharClass.Punctuation;
  for (let c = 65; c <= 90; c++) table[c] = CharClass.Upper;
  for (let c = 97; c <= 122; c++) table[c] = CharClass.Lower;
  return table;
})();

/** Python's `str.isspace()` for a code unit >= 128 (all such whitespace is in the BMP). */
export function isPythonSpaceNonAscii(c: number): boolean {
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const lowerOrTitle = /[\p{Lowercase}\p{Lt}]/u;
const upper = /\p{Uppercase}/u;

/**
 * Python's `str.isupper()`: at least one cased character and no lower-case or title-case
 * one. Only called for tokens with non-ASCII characters; ASCII tokens are classified
 * during tokenization.
 */
export function isPythonUpper(s: string): boolean {
  return !lowerOrTitle.test(s) && upper.test(s);
}

/**
 * Python's `round(x, digits)`: the exact binary value rounded to `digits` decimals,
 * ties (only possible for dyadic values such as 0.0625) to even. `Math.round(x * 1e3) / 1e3`
 * and `toFixed` both round those ties away from zero.
 */
export function pythonRound(x: number, digits: 3 | 4): number {
  const scale = digits === 3 ? 1000 : 10000;
  const y = x * scale;
  const floor = Math.floor(y);
  const frac = y - floor;
  // x * scale is within ~1e-12 of the exact product: away from .5 the side is certain.
  if (Math.abs(frac - 0.5) > 1e-7) return (frac < 0.5 ? floor : floor + 1) / scale;
  const ax = Math.abs(x);
  const n = Math.round(ax * scale * 10);
  const tieDivisor = digits === 3 ? 625 : 3125; // 5^(digits+1): the tie is a dyadic rational
  if (n % 10 === 5 && n % tieDivisor === 0 && ax === n / (scale * 10)) {
    let q = (n - 5) / 10;
    if (q % 2 === 1) q += 1;
    return (x < 0 ? -q : q) / scale;
  }
  // Not an exact tie: toFixed rounds the exact binary value correctly.
  return Number(x.toFixed(digits));
}
