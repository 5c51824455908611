/**
 * Length in Unicode code points of `text.slice(start, end)`: what JSON Schema's `maxLength`
 * counts (the contracts' text limits) and what Python's `len` returns (VADER's rules). A
 * surrogate pair is one; an unpaired surrogate counts as one too.
 */
export function codePointLength(text: string, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
