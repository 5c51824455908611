// Benchmark of transcript analysis WITHOUT model time: the scorer hands back precomputed
// scores, so the figures are planning, chunking glue and aggregation only, plus the longest
// event-loop stall while they run (the chunkers here stand in for the real ones).
// Run: npm run bench:transcript
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { analyzeTranscript, analyzeTranscripts, sentenceChunker, type TranscriptInput } from '../../src';
import type { CallSegment } from '@sentiment/events';
import type { Score, Scorer } from '../../src/scorer';
import { keywordModelScore, keywordVaderScore, wordWindowChunker } from './keyword-scorer';

/** Returns the same two alternating scores for every text: O(1) per text, no model time. */
function instantScorer(style: 'model' | 'vader'): Scorer {
  const pair: Score[] = style === 'model' ? [keywordModelScore('angry'), keywordModelScore('happy')] : [keywordVaderScore('angry'), keywordVaderScore('happy')];
  return {
    name: `instant-${style}`,
    score: async (texts) => texts.map((_, i) => pair[i % 2] as Score),
    close: async () => {},
  };
}

const words = ['the', 'bill', 'is', 'wrong', 'angry', 'thanks', 'account', 'happy', 'again', 'please'];

function call(id: string, totalWords: number, turnWords: number): TranscriptInput {
  const segments: CallSegment[] = [];
  let w = 0;
  for (let i = 0; w < totalWords; i++) {
    const n = i % 9 === 0 ? turnWords * 6 : turnWords;
    const text = Array.from({ length: n }, (_, k) => words[(i + k) % words.length]).join(' ');
    segments.push({ speaker: i % 2 ? 'agent' : 'customer', text, start_ms: i * 10_000, end_ms: i * 10_000 + 8_000 });
    w += n;
  }
  return { call_id: id, segments };
}

/**
 * Longest stretch between two event-loop turns in process CPU time: on a shared, overloaded
 * machine wall-clock loop delay mostly measures the OS scheduler, CPU time measures our code.
 */
function cpuStallProbe(): { stop: () => number } {
  let running = true;
  let max = 0;
  let last = process.cpuUsage();
  const tick = (): void => {
    const now = process.cpuUsage();
    max = Math.max(max, (now.user - last.user + now.system - last.system) / 1000);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return max;
    },
  };
}

async function measure(name: string, run: () => Promise<unknown>, repeat: number): Promise<void> {
  await run(); // warm-up
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const probe = cpuStallProbe();
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) await run();
  const ms = (performance.now() - t0) / repeat;
  const cpuStall = probe.stop();
  h.disable();
  console.log(
    `${name.padEnd(52)} ${ms.toFixed(2).padStart(9)} ms/op   longest turn: ${cpuStall.toFixed(1)} ms CPU, ${(h.max / 1e6).toFixed(1)} ms wall`,
  );
}

async function main(): Promise<void> {
  const scorer = instantScorer('model');
  const roberta = { scorer, chunk: wordWindowChunker(400) };
  const fiveK = call('5k', 5_000, 50);
  await measure('5,000-word two-speaker call (400-word windows)', () => analyzeTranscript(fiveK, roberta), 200);
  const batch = Array.from({ length: 64 }, (_, i) => call(`b${i}`, 5_000, 50));
  await measure('batch of 64 such calls, one score call', () => analyzeTranscripts(batch, roberta), 10);
  const tenMb = { call_id: 'big', text: 'angry happy filler words here, fine. '.repeat(Math.ceil(10_000_000 / 37)) };
  await measure('10 MB text, 400-word windows', () => analyzeTranscript(tenMb, roberta), 3);
  const vader = { scorer: instantScorer('vader'), chunk: sentenceChunker() };
  await measure('10 MB text, VADER sentence chunks of 1,000 chars', () => analyzeTranscript(tenMb, vader), 3);
  const manySegments = call('many', 1_000_000, 20);
  await measure(`1M words in ${manySegments.segments?.length} segments`, () => analyzeTranscript(manySegments, roberta), 3);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
