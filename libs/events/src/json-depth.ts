/**
 * Maximum nesting depth of a JSON text, scanned over raw bytes before parsing, so a hostile
 * `[[[[...` cannot make the parser or a later JSON.stringify recurse deeply. Stops early once
 * `limit` is exceeded. Brackets inside strings are skipped (escapes included).
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
