/**
 * Dev tool: the inference queue without Kafka. Six concurrent scorer calls (as six consumed
 * batches would make), each of a few generated long calls' chunks, on the full-size int8 model,
 * with MODEL_QUEUE=process and =call in turn: wall time, inference-thread CPU, micro-batches.
 *
 *   node dist/bench/dev/queue-scope.js [--calls-per-batch 3] [--batches 6] [--wait 5]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeTranscripts, createRobertaScorer, loadRobertaTokenizer, type QueueBatchStats } from '@sentiment/scoring';
import { repoRoot, tweetEvalTestTexts } from '../lib/bench-broker';
import { generateCalls } from '../lib/call-mix';
import { cpuSince, readThreadCpu } from '../lib/thread-cpu';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);

async function main(): Promise<void> {
  const modelDir = path.join(repoRoot, '.cache', 'models', 'roberta-base-random');
  const tokenizer = await loadRobertaTokenizer(modelDir);
  const perBatch = opt('--calls-per-batch', 3);
  const batches = opt('--batches', 6);
  const calls = generateCalls(tweetEvalTestTexts(), tokenizer, { count: perBatch * batches, seed: 7 });
  for (const scope of ['process', 'call'] as const) {
    const stats: QueueBatchStats[] = [];
    const scorer = await createRobertaScorer({ modelDir, timeoutMs: 3_600_000, queueScope: scope, maxBatchWaitMs: opt('--wait', 5), queueObserver: { batch: (b) => stats.push(b) } });
    const before = readThreadCpu(process.pid);
    const t0 = performance.now();
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: batches }, async (_, b) => {
        const inputs = calls.slice(b * perBatch, (b + 1) * perBatch);
        await analyzeTranscripts(inputs, { scorer, chunk: (t) => tokenizer.chunk(t), weight: (t) => tokenizer.countTokens(t) });
        done.push((performance.now() - t0) / 1000);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(before, readThreadCpu(process.pid));
    await scorer.close();
    const padded = stats.reduce((n, s) => n + s.paddedTokens, 0);
    const tokens = stats.reduce((n, s) => n + s.tokens, 0);
    done.sort((a, b) => a - b);
    console.log(
      `${scope}: ${seconds.toFixed(1)} s, batches done at ${done.map((d) => d.toFixed(1)).join(' ')} s; inference threads busy ${((cpu.workers / 1000 / seconds) * 50).toFixed(0)}% of 2 cores; main ${(cpu.main / 1000).toFixed(1)} s CPU; ${stats.length} micro-batches, ${tokens} tokens, ${padded} padded (${((100 * tokens) / padded).toFixed(0)}% useful), texts/batch ${(stats.reduce((n, s) => n + s.rows, 0) / stats.length).toFixed(1)}, calls/batch ${(stats.reduce((n, s) => n + s.calls, 0) / stats.length).toFixed(2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
