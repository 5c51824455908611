/**
 * Evaluates our VADER: agreement with the reference implementation and macro-averaged
 * recall against gold labels; the npm package `vader-sentiment` alongside, for information.
 *
 * usage: npm run eval:vader -- [DIR ...] [--no-npm]
 * Each DIR may hold `<split>_text.txt` (one text per line), `<split>_labels.txt` (0/1/2 =
 * negative/neutral/positive, or the order given by a `mapping.txt`) and reference scores
 * `tweeteval_<split>_scores.tsv` or `<split>_scores.tsv` (neg neu pos compound per line);
 * files are looked up across all DIRs, so texts and reference scores may live apart.
 * Default: the TweetEval fixtures in libs/scoring/test/fixtures/tweeteval.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SentimentLabels, type SentimentLabel } from '@sentiment/events';
import { analyzeVader, vaderLabel, type VaderPolarity } from '@sentiment/scoring';
import { readLines, tweetEvalFixturesDir } from './lib/repo-files';

const TOLERANCE = 1e-4;

function findFile(dirs: string[], names: string[]): string | undefined {
  for (const dir of dirs) for (const name of names) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function readReference(file: string): VaderPolarity[] {
  return readLines(file).map((line) => {
    const [neg, neu, pos, compound] = line.split('\t').map(Number);
    return { neg: neg ?? NaN, neu: neu ?? NaN, pos: pos ?? NaN, compound: compound ?? NaN };
  });
}

function readLabels(file: string, mapping: readonly SentimentLabel[]): SentimentLabel[] {
  return readLines(file).map((line) => {
    const label = mapping[Number(line.trim())];
    if (label === undefined) throw new Error(`${file}: unknown label "${line}"`);
    return label;
  });
}

/** Labels by index from a TweetEval-style mapping.txt ("0\tnegative" ...), else the usual order. */
function readMapping(dirs: string[]): readonly SentimentLabel[] {
  const file = findFile(dirs, ['mapping.txt']);
  if (!file) return SentimentLabels;
  const mapping: SentimentLabel[] = [];
  for (const line of readLines(file)) {
    const [index, name] = line.trim().split(/\s+/);
    if ((SentimentLabels as readonly string[]).includes(name ?? '')) mapping[Number(index)] = name as SentimentLabel;
  }
  return mapping;
}

function macroRecall(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): number {
  let sum = 0;
  let classes = 0;
  for (const label of SentimentLabels) {
    let support = 0;
    let hit = 0;
    gold.forEach((g, i) => {
      if (g !== label) return;
      support++;
      if (predicted[i] === label) hit++;
    });
    if (support === 0) continue;
    sum += hit / support;
    classes++;
  }
  return classes === 0 ? NaN : sum / classes;
}

/** train, val, test first, in that order; other splits after. */
function splitOrder(split: string): number {
  const known = ['train', 'val', 'test'].indexOf(split);
  return known === -1 ? 3 : known;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

interface Scored {
  name: string;
  scores: VaderPolarity[];
}

function report(split: string, texts: string[], scored: Scored[], reference?: VaderPolarity[], gold?: SentimentLabel[]): void {
  console.log(`\n${split}: ${texts.length} texts`);
  for (const { name, scores } of scored) {
    const parts: string[] = [];
    if (reference) {
      let compound = 0;
      let all = 0;
      scores.forEach((s, i) => {
        const r = reference[i];
        if (!r) return;
        if (Math.abs(s.compound - r.compound) <= TOLERANCE + 1e-9) compound++;
        if (s.compound === r.compound && s.neg === r.neg && s.neu === r.neu && s.pos === r.pos) all++;
      });
      parts.push(`compound within ${TOLERANCE} of reference: ${pct(compound / texts.length)} (${compound}/${texts.length})`);
      parts.push(`all four values identical: ${pct(all / texts.length)}`);
    }
    if (gold) {
      const predicted = scores.map((s) => vaderLabel(s.compound));
      const accuracy = predicted.filter((p, i) => p === gold[i]).length / gold.length;
      parts.push(`macro recall vs gold: ${(macroRecall(gold, predicted)).toFixed(4)}`);
      parts.push(`accuracy: ${pct(accuracy)}`);
    }
    console.log(`  ${name.padEnd(26)} ${parts.join('; ')}`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const withNpm = !args.includes('--no-npm');
  const given = args.filter((a) => !a.startsWith('--'));
  const dirs = given.length > 0 ? given.map((d) => resolve(d)) : [tweetEvalFixturesDir];
  const mapping = readMapping(dirs);
  const splits = [...new Set(dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('_text.txt')).map((f) => f.slice(0, -'_text.txt'.length))))].sort(
    (a, b) => splitOrder(a) - splitOrder(b) || a.localeCompare(b),
  );
  if (splits.length === 0) throw new Error(`no <split>_text.txt in ${dirs.join(', ')}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const npm = withNpm ? (require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderPolarity } }) : undefined;

  console.log(`VADER evaluation on ${dirs.join(', ')} (label: compound >= 0.05 positive, <= -0.05 negative)`);
  for (const split of splits) {
    const textFile = findFile(dirs, [`${split}_text.txt`]);
    if (!textFile) continue;
    const texts = readLines(textFile);
    const referenceFile = findFile(dirs, [`tweeteval_${split}_scores.tsv`, `${split}_scores.tsv`]);
    const labelFile = findFile(dirs, [`${split}_labels.txt`]);
    const reference = referenceFile ? readReference(referenceFile) : undefined;
    const gold = labelFile ? readLabels(labelFile, mapping) : undefined;
    if (reference && reference.length !== texts.length) throw new Error(`${referenceFile}: ${reference.length} lines for ${texts.length} texts`);
    if (gold && gold.length !== texts.length) throw new Error(`${labelFile}: ${gold.length} lines for ${texts.length} texts`);
    const scored: Scored[] = [{ name: 'ours (@sentiment/scoring)', scores: texts.map((t) => analyzeVader(t)) }];
    if (npm) scored.push({ name: 'npm vader-sentiment 1.1.3', scores: texts.map((t) => npm.SentimentIntensityAnalyzer.polarity_scores(t)) });
    report(split, texts, scored, reference, gold);
  }
}

main();
