/**
 * `npm run bench:model`: RoBERTa-base (random weights, same weights in every graph) at batch
 * 1, 8, 32 x sequence 32, 64, 128, in one run:
 *   raw       - onnxruntime-node alone, one session per graph on the main thread, the same
 *               threads for all (intra-op = CPUs), sequences/s (median of interleaved rounds), for
 *               the graphs of bench/lib/model-graphs.ts: the project's generated graph, the hub-style
 *               export, the optimizer-fused variant and the prepared file, fp32 and int8;
 *   pipeline  - the worker end to end through a real local broker (consume -> tokenize -> infer in
 *               worker threads -> produce -> commit) on the prepared hub-style directory with
 *               MODEL_FILE=auto, as model:download leaves it; events / (time from /ready to the
 *               last result), against the best raw graph of the shape, and the worker's event-loop
 *               delay p99 during its run.
 *
 * Options: --shapes 1x32,8x64  --graphs project-int8,hub-int8  --rounds N (default 7)
 *          --intra N (raw sessions' intra-op threads, default the CPU count)
 *          --seconds N (target pipeline run per shape, default 8)  --no-hub  --no-pipeline
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as ort from 'onnxruntime-node';
import { loadRobertaTokenizer, selectModelFile } from '@sentiment/scoring';
import { createTopics, freePorts, produceRaw, uniqueName } from '@sentiment/testing';
import { repoRoot, startBenchBroker } from './lib/bench-broker';
import { openBenchSession, timeShape, type GraphTiming, type Shape } from './lib/graph-throughput';
import { availableGraphs, ensureGraphs, graphPath, HUB_MODEL_DIR, PROJECT_MODEL_DIR, type BenchGraph } from './lib/model-graphs';
import { waitForCount } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';
import { textOfTokens } from './model-raw';

interface Args {
  shapes: Shape[];
  graphs: string[] | undefined;
  rounds: number;
  seconds: number;
  hub: boolean;
  pipeline: boolean;
  /** Intra-op threads of the raw sessions; default the CPU count. */
  intra: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { shapes: [], graphs: undefined, rounds: 7, seconds: 8, hub: true, pipeline: true, intra: os.availableParallelism() };
  for (const b of [1, 8, 32]) for (const s of [32, 64, 128]) args.shapes.push({ batch: b, seqLen: s });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') args.seconds = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--intra') args.intra = Number(argv[++i]);
    else if (a === '--graphs') args.graphs = String(argv[++i]).split(',');
    else if (a === '--no-hub') args.hub = false;
    else if (a === '--no-pipeline') args.pipeline = false;
    else if (a === '--shapes') {
      args.shapes = String(argv[++i])
        .split(',')
        .map((s) => {
          const [b, l] = s.split('x').map(Number);
          if (!b || !l) throw new Error(`bad shape ${s} (want BATCHxSEQ)`);
          return { batch: b, seqLen: l };
        });
    } else throw new Error(`unknown option ${a}`);
  }
  if (!(args.rounds >= 3)) throw new Error('--rounds must be at least 3');
  return args;
}

const key = (s: Shape): string => `${s.batch} x ${s.seqLen}`;
const rel = (file: string): string => path.relative(repoRoot, file);

async function rawTable(graphs: BenchGraph[], args: Args): Promise<Map<string, GraphTiming[]>> {
  const intra = args.intra;
  process.stdout.write(`\nraw onnxruntime-node: 1 session per graph, intra-op ${intra}, inter-op 1, level "all"; ${args.rounds} interleaved rounds per shape\n`);
  const sessions: ort.InferenceSession[] = [];
  for (const g of graphs) {
    const { session, loadMs } = await openBenchSession(graphPath(g), intra);
    sessions.push(session);
    process.stdout.write(`  ${g.id.padEnd(14)} ${rel(graphPath(g))} (${g.how}); session load ${loadMs.toFixed(0)} ms\n`);
  }
  const results = new Map<string, GraphTiming[]>();
  try {
    for (const shape of args.shapes) {
      const timings = await timeShape(sessions, shape, { intraOpNumThreads: intra, rounds: args.rounds });
      results.set(key(shape), timings);
      const cells = timings.map((t, i) => `${graphs[i]?.id} ${t.seqPerSec.toFixed(1)} (${t.seqPerCpuSec.toFixed(1)}/cpu-s)`).join(', ');
      process.stdout.write(`  ${key(shape)}: ${cells} seq/s (load ${os.loadavg()[0]?.toFixed(1)})\n`);
    }
  } finally {
    for (const s of sessions) await s.release();
  }
  return results;
}

function printRawTable(graphs: BenchGraph[], raw: Map<string, GraphTiming[]>, shapes: Shape[]): void {
  const header = `| batch x seq | ${graphs.map((g) => g.id).join(' | ')} | best |`;
  const rows = shapes.map((s) => {
    const t = raw.get(key(s)) ?? [];
    const best = t.reduce((b, x, i) => (x.seqPerSec > (t[b]?.seqPerSec ?? 0) ? i : b), 0);
    return `| ${key(s)} | ${t.map((x) => x.seqPerSec.toFixed(1)).join(' | ')} | ${graphs[best]?.id ?? ''} |`;
  });
  process.stdout.write(['', 'raw seq/s (median)', header, `|---|${graphs.map(() => '---|').join('')}---|`, ...rows, ''].join('\n'));
  const table = (title: string, cell: (x: GraphTiming, s: Shape) => string): void => {
    const body = shapes.map((s) => `| ${key(s)} | ${(raw.get(key(s)) ?? []).map((x) => cell(x, s)).join(' | ')} |`);
    process.stdout.write(['', title, `| batch x seq | ${graphs.map((g) => g.id).join(' | ')} |`, `|---|${graphs.map(() => '---|').join('')}`, ...body, ''].join('\n'));
  };
  table('raw seq/s at the fastest run of each (least disturbed by other load)', (x, s) => ((s.batch * 1000) / x.bestMs).toFixed(1));
  table('raw sequences per CPU-second (median; all onnxruntime threads of the process)', (x) => x.seqPerCpuSec.toFixed(1));
}

async function pipelineTable(graphs: BenchGraph[], raw: Map<string, GraphTiming[]>, args: Args): Promise<void> {
  const modelDir = availableGraphs(['prepared-int8', 'hub-int8']).length > 0 ? HUB_MODEL_DIR : PROJECT_MODEL_DIR;
  const choice = await selectModelFile(modelDir);
  const pipelineGraph = graphs.findIndex((g) => graphPath(g) === choice.modelPath);
  process.stdout.write(`\npipeline: MODEL_DIR=${rel(modelDir)} MODEL_FILE=auto -> ${rel(choice.modelPath)}${choice.skipped ? ` (skipped ${rel(choice.skipped.path)}: ${choice.skipped.reason})` : ''}\n`);
  const tokenizer = await loadRobertaTokenizer(modelDir);
  const broker = await startBenchBroker();
  const rows: string[] = [];
  try {
    for (const shape of args.shapes) {
      const timings = raw.get(key(shape)) ?? [];
      const bestIndex = timings.reduce((b, x, i) => (x.seqPerSec > (timings[b]?.seqPerSec ?? 0) ? i : b), 0);
      const best = timings[bestIndex]?.seqPerSec ?? NaN;
      const same = pipelineGraph >= 0 ? (timings[pipelineGraph]?.seqPerSec ?? NaN) : NaN;
      const events = Math.min(3000, Math.max(shape.batch * 8, Math.ceil((Number.isFinite(best) ? best : 20) * args.seconds)));
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
          MODEL_DIR: modelDir,
          MODEL_FILE: 'auto',
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
      const row = `| ${key(shape)} | ${graphs[bestIndex]?.id ?? '?'} ${best.toFixed(1)} | ${same.toFixed(1)} | ${perSecond.toFixed(1)} | ${(perSecond / best).toFixed(2)} | ${(perSecond / same).toFixed(2)} | ${lagP99.toFixed(1)} | ${events} in ${drainSeconds.toFixed(1)} s (${roberta ? 'roberta-onnx' : 'NOT roberta'}) |`;
      rows.push(row);
      process.stdout.write(`${row}\n`);
    }
  } finally {
    await broker.destroy();
  }
  const sameName = pipelineGraph >= 0 ? graphs[pipelineGraph]?.id : 'its graph (not in the raw run)';
  process.stdout.write(
    [
      '',
      `pipeline: 2 partitions, worker threads as configured by default; raw column "same" = ${sameName}`,
      '| batch x seq | best raw seq/s | same graph raw | pipeline msg/s | pipeline / best | pipeline / same | event-loop p99 ms | events |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write(`${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const notes = ensureGraphs({ hub: args.hub });
  const graphs = availableGraphs(args.graphs);
  if (graphs.length === 0) throw new Error('no graph to measure');
  const raw = await rawTable(graphs, args);
  printRawTable(graphs, raw, args.shapes);
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  if (args.pipeline) await pipelineTable(graphs, raw, args);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
