/**
 * `npm run bench:model`: the full-size RoBERTa-base (random weights, generated on demand into
 * .cache/models/roberta-base-random, int8) at batch 1, 8, 32 x sequence 32, 64, 128:
 *   raw   - onnxruntime-node alone: one session on the main thread, sequences/s (median of runs);
 *   pipe  - the worker end to end through a real local broker (consume -> tokenize -> infer in
 *           worker threads -> produce -> commit), events / (time from /ready to the last result);
 * their ratio, and the worker's own event-loop delay p99 during its run.
 *
 * Options: --model-dir DIR  --shapes 1x32,8x64  --seconds N (target run length per shape, default 8)
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { inspectModelDir, loadRobertaTokenizer } from '@sentiment/scoring';
import { createTopics, freePorts, produceRaw, uniqueName } from '@sentiment/testing';
import { repoRoot, startBenchBroker } from './lib/bench-broker';
import { waitForCount } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';
import { ensureModel, measure, rawFeeds, textOfTokens } from './model-raw';

interface Shape {
  batch: number;
  seqLen: number;
}

function parseArgs(argv: string[]) {
  let modelDir = path.join(repoRoot, '.cache', 'models', 'roberta-base-random');
  let shapes: Shape[] = [];
  for (const b of [1, 8, 32]) for (const s of [32, 64, 128]) shapes.push({ batch: b, seqLen: s });
  let seconds = 8;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--model-dir') modelDir = path.resolve(String(argv[++i]));
    else if (a === '--seconds') seconds = Number(argv[++i]);
    else if (a === '--shapes') {
      shapes = String(argv[++i])
        .split(',')
        .map((s) => {
          const [b, l] = s.split('x').map(Number);
          return { batch: b as number, seqLen: l as number };
        });
    } else throw new Error(`unknown option ${a}`);
  }
  return { modelDir, shapes, seconds };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensureModel(args);
  const info = inspectModelDir(args.modelDir);
  const tokenizer = await loadRobertaTokenizer(args.modelDir);

  // 1. raw onnxruntime-node, main thread, onnxruntime's default thread count
  process.stdout.write(`model ${path.relative(repoRoot, info.modelPath)}\nraw onnxruntime-node...\n`);
  const session = await ort.InferenceSession.create(info.modelPath, { graphOptimizationLevel: 'all' });
  const raw = new Map<string, number>();
  for (const shape of args.shapes) {
    const m = await measure(shape.batch, 3, 4000, () => session.run(rawFeeds(shape.batch, shape.seqLen)));
    raw.set(`${shape.batch}x${shape.seqLen}`, m.seqPerSec);
    process.stdout.write(`  ${shape.batch} x ${shape.seqLen}: ${m.seqPerSec.toFixed(1)} seq/s\n`);
  }
  await session.release();

  // 2. the worker pipeline through a real broker, one fresh topic and worker per shape
  const broker = await startBenchBroker();
  const rows: string[] = [];
  try {
    for (const shape of args.shapes) {
      const key = `${shape.batch}x${shape.seqLen}`;
      const rawRate = raw.get(key) as number;
      const events = Math.min(3000, Math.max(shape.batch * 8, Math.ceil(rawRate * args.seconds)));
      const topics = { input: uniqueName('bench-in'), output: uniqueName('bench-out'), dlq: uniqueName('bench-dlq') };
      await createTopics(broker.bootstrap, [
        { topic: topics.input, numPartitions: 2 },
        { topic: topics.output, numPartitions: 2 },
        { topic: topics.dlq, numPartitions: 1 },
      ]);
      await produceRaw(
        broker.bootstrap,
        topics.input,
        Array.from({ length: events }, (_, i) => ({ key: `m${i}`, value: JSON.stringify({ call_id: `m${i}`, text: textOfTokens(tokenizer, shape.seqLen, i) }) })),
      );
      const [port] = await freePorts(1);
      const worker = await startWorkerProcess(
        {
          KAFKA_BROKERS: broker.bootstrap,
          INPUT_TOPIC: topics.input,
          OUTPUT_TOPIC: topics.output,
          DLQ_TOPIC: topics.dlq,
          KAFKA_GROUP_ID: uniqueName('bench'),
          SCORER: 'roberta',
          MODEL_DIR: args.modelDir,
          MODEL_MAX_BATCH_SIZE: String(shape.batch),
          MODEL_MAX_BATCH_TOKENS: String(shape.batch * shape.seqLen),
          MODEL_TIMEOUT_MS: '600000',
        },
        port as number,
      );
      // Results of a consumed batch are produced together, so their timestamps bunch up: time
      // the whole drain instead, from /ready (model loaded, group joined) to the last result.
      while ((await fetch(`${worker.url}/ready`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      await waitForCount(broker.bootstrap, topics.output, events, 30 * 60 * 1000);
      const drainSeconds = (performance.now() - t0) / 1000;
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      const lagP99 = Number(/^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(metrics)?.[1] ?? NaN) * 1000;
      const roberta = /sentiment_results_total\{[^}]*scorer="roberta-onnx"[^}]*\} (\d+)/.exec(metrics);
      await worker.stop();
      const perSecond = events / drainSeconds;
      const row = `| ${shape.batch} x ${shape.seqLen} | ${rawRate.toFixed(1)} | ${perSecond.toFixed(1)} | ${(perSecond / rawRate).toFixed(2)} | ${lagP99.toFixed(1)} | ${events} in ${drainSeconds.toFixed(1)} s (${roberta ? 'roberta-onnx' : 'NOT roberta'}) |`;
      rows.push(row);
      process.stdout.write(`${row}\n`);
    }
  } finally {
    await broker.destroy();
  }
  process.stdout.write(
    ['', '| batch x seq | raw seq/s | pipeline msg/s | pipeline / raw | event-loop p99 ms | events |', '|---|---|---|---|---|---|', ...rows, ''].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
