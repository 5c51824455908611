/**
 * Throughput of the VADER scorers, one thread, side by side:
 *   ours (VaderAnalyzer.polarityScores, and VaderScorer.score in batches of 500),
 *   the npm package `vader-sentiment`, and the reference Python vaderSentiment 3.3.2.
 *
 * usage: npm run bench:vader-scorer -- [TEXT_FILE] [--runs N] [--no-npm] [--no-python]
 * TEXT_FILE: one text per line; default the 12,284 TweetEval test tweets of the fixtures.
 *
 * Each figure is the median of several passes over all texts, as wall-clock texts/s and as
 * texts per CPU-second of this process (the machine is shared: CPU time is steadier, and the
 * ratios between implementations measured in the same run are what to compare).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { VaderAnalyzer, VaderScorer, loadVaderLexicons } from '@sentiment/scoring';
import { readLines, repoRoot, tweetEvalFixturesDir } from '../scripts/lib/repo-files';

interface Rate {
  name: string;
  wall: number;
  cpu: number;
  note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `pass` (one pass over all texts) `warmup + runs` times; medians of the timed runs. */
async function measure(name: string, texts: number, runs: number, warmup: number, pass: () => unknown): Promise<Rate> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await pass();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (r < warmup) continue;
    wall.push(texts / seconds);
    cpu.push(texts / ((c.user + c.system) / 1e6));
  }
  return { name, wall: median(wall), cpu: median(cpu) };
}

function pythonReference(file: string, runs: number): Rate | undefined {
  const script = join(repoRoot, 'scripts/vader-reference.py');
  const result = spawnSync('python3', [script, file, '--runs', String(runs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = result.stdout?.trim().split('\n').pop();
  if (result.status !== 0 || !last) {
    console.error(`python reference failed (status ${result.status}); skipped`);
    return undefined;
  }
  const out = JSON.parse(last) as { implementation: string; wall_texts_per_s: number; cpu_texts_per_s: number };
  return { name: out.implementation, wall: out.wall_texts_per_s, cpu: out.cpu_texts_per_s, note: 'separate process' };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): boolean => args.includes(name);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 9;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? join(tweetEvalFixturesDir, 'test_text.txt');
  const texts = readLines(file);
  console.log(`VADER throughput: ${texts.length} texts from ${file}, one thread, median of ${runs} runs`);

  const t0 = performance.now();
  const analyzer = new VaderAnalyzer(loadVaderLexicons());
  console.log(`lexicons loaded and indexed in ${(performance.now() - t0).toFixed(1)} ms`);
  const scorer = new VaderScorer({ analyzer });

  const rates: Rate[] = [];
  rates.push(
    await measure('ours: VaderAnalyzer.polarityScores', texts.length, runs, 3, () => {
      for (const text of texts) analyzer.polarityScores(text);
    }),
  );
  rates.push(
    await measure('ours: VaderScorer.score, batches of 500', texts.length, runs, 2, async () => {
      for (let i = 0; i < texts.length; i += 500) await scorer.score(texts.slice(i, i + 500));
    }),
  );
  if (!flag('--no-npm')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const npm = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): unknown } };
    rates.push(
      await measure('npm vader-sentiment 1.1.3', texts.length, Math.min(runs, 3), 1, () => {
        for (const text of texts) npm.SentimentIntensityAnalyzer.polarity_scores(text);
      }),
    );
  }
  if (!flag('--no-python')) {
    const python = pythonReference(file, Math.min(runs, 3));
    if (python) rates.push(python);
  }

  const ours = rates[0];
  if (!ours) return;
  const pad = Math.max(...rates.map((r) => r.name.length));
  console.log(`${'implementation'.padEnd(pad)}  ${'texts/s (wall)'.padStart(14)}  ${'texts/CPU-s'.padStart(12)}  ours is x faster (wall / cpu)`);
  for (const r of rates) {
    const ratio = r === ours ? '' : `${(ours.wall / r.wall).toFixed(1)}x / ${(ours.cpu / r.cpu).toFixed(1)}x`;
    console.log(`${r.name.padEnd(pad)}  ${Math.round(r.wall).toLocaleString('en').padStart(14)}  ${Math.round(r.cpu).toLocaleString('en').padStart(12)}  ${ratio}${r.note ? ` (${r.note})` : ''}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
