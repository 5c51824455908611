import { describe, it, expect } from '@jest/globals';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@sentiment/errors';
import { resolveVaderDataDir, vaderDataDirCandidates } from '../../src/vader/vader-data-dir';
import { loadVaderLexicons, parseEmojiLexicon, parseVaderLexicon } from '../../src/vader/vader-lexicons';

const repoRoot = resolve(__dirname, '../../../../..');

describe('resolveVaderDataDir', () => {
  it('when running the compiled code, then it finds libs/scoring/data/vader with the lexicons and the licence', () => {
    const dir = resolveVaderDataDir();
    expect(dir).toBe(join(repoRoot, 'libs/scoring/data/vader'));
    for (const file of ['vader_lexicon.txt', 'emoji_utf8_lexicon.txt', 'LICENSE.txt']) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
  });

  it('when resolved from the source location, then it finds the same directory', () => {
    expect(resolveVaderDataDir(join(repoRoot, 'libs/scoring/src/vader'))).toBe(join(repoRoot, 'libs/scoring/data/vader'));
  });

  it('when resolved from a dist/ under another root (a Docker image), then it looks in that root\'s libs/', () => {
    expect(vaderDataDirCandidates('/app/dist/libs/scoring/src/vader')[0]).toBe('/app/libs/scoring/data/vader');
  });

  it('when resolved from a directory with no lexicons nearby, then the package location is the fallback', () => {
    expect(resolveVaderDataDir('/nonexistent/a/b/c/d/e')).toBe(join(repoRoot, 'libs/scoring/data/vader'));
  });
});

describe('loadVaderLexicons', () => {
  it('when the packaged lexicons load, then they hold every distinct word and the single-code-point emojis', () => {
    const { words, emojis } = loadVaderLexicons();
    expect(words.size).toBe(7506); // 7,520 lines, some words listed twice (the later line wins, as in Python)
    expect(words.get('good')).toBe(1.9);
    expect(words.get(':)')).toBe(2);
    expect(emojis.get(0x1f601)).toBe('beaming face with smiling eyes');
    expect(emojis.size).toBe(1212);
  });

  it('when the directory has no lexicons, then a ConfigError names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vader-'));
    expect(() => loadVaderLexicons(dir)).toThrow(ConfigError);
  });

  it('when a lexicon has CRLF line ends, blank lines and extra columns, then it parses like the reference', () => {
    const words = parseVaderLexicon('good\t1.9\t0.9\t[2, 1]\r\n\r\nbad\t-2.5\r\n');
    expect([...words]).toEqual([
      ['good', 1.9],
      ['bad', -2.5],
    ]);
  });

  it('when a valence is not a number, then parsing throws a ConfigError with the line', () => {
    expect(() => parseVaderLexicon('good\t1.9\nbad\tterrible\n')).toThrow(/:2: valence/);
  });

  it('when an emoji entry spans several code points, then it is dropped (the reference can never match it)', () => {
    const emojis = parseEmojiLexicon('😀\tgrinning face\n🇺🇸\tflag: United States\n©\tcopyright\n');
    expect([...emojis]).toEqual([
      [0x1f600, 'grinning face'],
      [0xa9, 'copyright'],
    ]);
  });

  it('when a file is given, then its lexicon is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vader-'));
    writeFileSync(join(dir, 'vader_lexicon.txt'), 'zorg\t3\n');
    writeFileSync(join(dir, 'emoji_utf8_lexicon.txt'), '👾\tzorg\n');
    const lexicons = loadVaderLexicons(dir);
    expect(lexicons.words.get('zorg')).toBe(3);
    expect(lexicons.emojis.get(0x1f47e)).toBe('zorg');
  });
});
