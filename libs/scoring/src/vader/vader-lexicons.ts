import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@sentiment/errors';
import { resolveVaderDataDir } from './vader-data-dir';

/** The two lexicons VADER scores with, parsed once and shared by every analysis. */
export interface VaderLexicons {
  /** Lower-case word or emoticon -> mean valence in [-4, 4]. */
  readonly words: ReadonlyMap<string, number>;
  /**
   * Code point -> textual description ("😂" -> "face with tears of joy"). The reference
   * looks emojis up one code point at a time, so multi-code-point entries (flags, skin
   * tones, ZWJ sequences) can never match and are not kept.
   */
  readonly emojis: ReadonlyMap<number, string>;
}

export const VADER_LEXICON_FILE = 'vader_lexicon.txt';
export const VADER_EMOJI_LEXICON_FILE = 'emoji_utf8_lexicon.txt';

/** Lines of a lexicon file: trailing newlines dropped, CRLF tolerated, blank lines skipped. */
function fieldsOf(text: string, file: string): Array<[string, string, number]> {
  const out: Array<[string, string, number]> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab <= 0) throw new ConfigError(`${file}:${i + 1}: expected "<entry>\\t<value>"`, { details: { file, line: i + 1 } });
    const next = line.indexOf('\t', tab + 1);
    out.push([line.slice(0, tab), line.slice(tab + 1, next === -1 ? undefined : next), i + 1]);
  }
  return out;
}

/** Parses `vader_lexicon.txt` (token, mean valence, standard deviation, raw ratings). */
export function parseVaderLexicon(text: string, file = VADER_LEXICON_FILE): Map<string, number> {
  const words = new Map<string, number>();
  for (const [word, measure, line] of fieldsOf(text, file)) {
    const valence = Number(measure);
    if (measure.trim() === '' || !Number.isFinite(valence)) {
      throw new ConfigError(`${file}:${line}: valence "${measure}" is not a number`, { details: { file, line } });
    }
    words.set(word, valence);
  }
  return words;
}

/** Parses `emoji_utf8_lexicon.txt` (emoji, description), keeping single-code-point emojis. */
export function parseEmojiLexicon(text: string, file = VADER_EMOJI_LEXICON_FILE): Map<number, string> {
  const emojis = new Map<number, string>();
  for (const [emoji, description] of fieldsOf(text, file)) {
    const cp = emoji.codePointAt(0);
    if (cp !== undefined && String.fromCodePoint(cp).length === emoji.length) emojis.set(cp, description);
  }
  return emojis;
}

function readLexiconFile(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read VADER lexicon ${path}`, { cause: err, details: { path } });
  }
}

/** Reads and parses both lexicons from `dir` (default: the packaged libs/scoring/data/vader). */
export function loadVaderLexicons(dir: string = resolveVaderDataDir()): VaderLexicons {
  return {
    words: parseVaderLexicon(readLexiconFile(dir, VADER_LEXICON_FILE)),
    emojis: parseEmojiLexicon(readLexiconFile(dir, VADER_EMOJI_LEXICON_FILE)),
  };
}
