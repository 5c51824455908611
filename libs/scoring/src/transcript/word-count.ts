/** Unicode White_Space code points (what `\s` matches), as a lookup for the counting loop. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Number of whitespace-separated words; one pass, no allocation (the default chunk weight). */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ws = isWhitespace(text.charCodeAt(i));
    if (!ws && !inWord) count++;
    inWord = !ws;
  }
  return count;
}

/** True when `text` has at least one non-whitespace character. */
export function hasText(text: string | null | undefined): text is string {
  return typeof text === 'string' && /\S/.test(text);
}

export { isWhitespace };
