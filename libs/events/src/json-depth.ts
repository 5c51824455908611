/**
 * True when a JSON text, given as its UTF-8 bytes, nests arrays/objects deeper than `limit`.
 * A linear scan before JSON.parse, so a hostile `[[[[...` (100k deep) is refused without the
 * parser, or a later JSON.stringify, recursing over it. Stops early once `limit` is exceeded.
 * Brackets inside strings (escapes included) do not count; no byte of a multi-byte UTF-8
 * character is ASCII, so only real quotes, backslashes and brackets are seen. Works on
 * malformed text too: it only has to be right for text that would parse.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) {
      inString = true;
    } else if (b === 0x7b || b === 0x5b) {
      if (++depth > limit) return true;
    } else if (b === 0x7d || b === 0x5d) {
      depth--;
    }
  }
  return false;
}
