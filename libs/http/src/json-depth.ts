/**
 * True when a JSON text nests arrays/objects deeper than `limit`. A linear scan before
 * JSON.parse, so `[[[[...` (100k deep) is refused without any recursive walk over the parsed
 * value. Brackets inside strings (escapes included) do not count. Works on malformed text too:
 * it only has to be right for text that would parse.
 */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
