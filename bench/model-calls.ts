/**
 * `npm run bench:calls`: long calls through a real local broker on the full-size int8 RoBERTa-base
 * (random weights, generated on demand into .cache/models/roberta-base-random by `npm run model:full`).
 * Calls of 2,000-6,000 tokens in 20-150 segments from two speakers (bench/lib/call-mix.ts), on
 * 6 partitions, for each inference-queue setting side by side:
 *   drain - the calls are in the topic before the worker starts: calls/s and tokens/s from /ready
 *           to the last result;
 *   paced - a fresh worker and topics, calls produced one by one at a fraction of the drain rate
 *           (Poisson arrivals): p50/p99 end-to-end latency per call (result timestamp - input timestamp).
 * Also the queue's own figures from /metrics (texts, calls and padded tokens per micro-batch, wait,
 * depth), and the hit rate a bounded score cache keyed by the preprocessed text would have had.
 *
 * Options: --calls N (drain, 16)  --paced N (16)  --load F (paced arrival rate / drain rate, 0.6)
 *          --repeat N (runs of each phase per setting, interleaved so load changes hit every setting; 1)
 *          --queues process,call  --model-dir DIR  --threads N (inference threads, default: the worker's)
 *          --seed N  --cache-size N (simulated cache entries, 10000)  --env K=V (repeatable)
 *          --cache-bound  one more drain setting: MODEL_QUEUE=process on the same calls without the
 *                         segments such a cache would have hit, i.e. the most a score cache could save
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadRobertaTokenizer, preprocessTweetText } from '@sentiment/scoring';
import { createTopics, freePorts, produceJson, readTopicToEnd, uniqueName } from '@sentiment/testing';
import { repoRoot, startBenchBroker, tweetEvalTestTexts } from './lib/bench-broker';
import { cacheHitRate, generateCalls, SHORT_TURN_SHARE, type GeneratedCall } from './lib/call-mix';
import { percentile } from './lib/health-pinger';
import { waitForCount } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';

const QUEUES = ['process', 'call'] as const;
type Queue = (typeof QUEUES)[number];

interface Options {
  repeat: number;
  calls: number;
  paced: number;
  load: number;
  queues: Queue[];
  modelDir: string;
  threads: number | undefined;
  seed: number;
  cacheSize: number;
  cacheBound: boolean;
  env: Record<string, string>;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { repeat: 1, calls: 16, paced: 16, load: 0.6, queues: [...QUEUES], modelDir: path.join(repoRoot, '.cache', 'models', 'roberta-base-random'), threads: undefined, seed: 7, cacheSize: 10_000, cacheBound: false, env: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => String(argv[++i]);
    if (a === '--calls') o.calls = Number(next());
    else if (a === '--repeat') o.repeat = Number(next());
    else if (a === '--paced') o.paced = Number(next());
    else if (a === '--load') o.load = Number(next());
    else if (a === '--model-dir') o.modelDir = path.resolve(next());
    else if (a === '--threads') o.threads = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--cache-size') o.cacheSize = Number(next());
    else if (a === '--cache-bound') o.cacheBound = true;
    else if (a === '--queues') {
      const list = next().split(',') as Queue[];
      if (list.some((q) => !QUEUES.includes(q))) throw new Error(`--queues takes ${QUEUES.join(', ')}`);
      o.queues = list;
    } else if (a === '--env') {
      const [k, ...v] = next().split('=');
      if (!k || v.length === 0) throw new Error('--env takes NAME=value');
      o.env[k] = v.join('=');
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function ensureFullModel(modelDir: string): void {
  if (existsSync(path.join(modelDir, 'config.json')) && existsSync(path.join(modelDir, 'onnx', 'model_quantized.onnx'))) return;
  process.stdout.write(`no int8 model in ${modelDir}: generating the full-size random RoBERTa-base (npm run model:full, a few minutes)...\n`);
  execFileSync('npm', ['run', 'model:full', '--', '--dtype', 'int8', '--out', modelDir], { stdio: 'inherit', cwd: repoRoot });
}

/** The queue's figures from a worker's /metrics text. */
function queueFigures(metrics: string) {
  const sum = (name: string, filter?: RegExp) => {
    let total = 0;
    for (const m of metrics.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm'))) if (!filter || filter.test(m[1] ?? '')) total += Number(m[2]);
    return total;
  };
  const buckets = (name: string) =>
    [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"[^}]*\\} ([0-9.eE+-]+)$`, 'gm'))].map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), n: Number(m[2]) }));
  const quantile = (name: string, q: number) => {
    const b = buckets(name);
    const total = b[b.length - 1]?.n ?? 0;
    return b.find((x) => x.n >= q * total)?.le ?? NaN;
  };
  const batches = sum('sentiment_inference_batch_texts_count');
  return {
    batches,
    textsPerBatch: sum('sentiment_inference_batch_texts_sum') / batches,
    callsPerBatch: sum('sentiment_inference_batch_calls_sum') / batches,
    mixed: batches - sum('sentiment_inference_batch_calls_bucket', /le="1"/),
    paddedP50: quantile('sentiment_inference_batch_tokens', 0.5),
    paddedMean: sum('sentiment_inference_batch_tokens_sum') / batches,
    waitP50Ms: quantile('sentiment_inference_queue_wait_seconds', 0.5) * 1000,
    waitP99Ms: quantile('sentiment_inference_queue_wait_seconds', 0.99) * 1000,
    loopP99Ms: Number(/^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(metrics)?.[1] ?? NaN) * 1000,
    roberta: sum('sentiment_results_total', /scorer="roberta-onnx"/),
    vader: sum('sentiment_results_total', /scorer="vader"/),
  };
}

interface Topics {
  input: string;
  output: string;
  dlq: string;
}

async function freshTopics(bootstrap: string, tag: string): Promise<Topics> {
  const topics = { input: uniqueName(`calls-in-${tag}`), output: uniqueName(`calls-out-${tag}`), dlq: uniqueName(`calls-dlq-${tag}`) };
  await createTopics(bootstrap, [
    { topic: topics.input, numPartitions: 6 },
    { topic: topics.output, numPartitions: 6 },
    { topic: topics.dlq, numPartitions: 1 },
  ]);
  return topics;
}

async function startWorker(bootstrap: string, topics: Topics, o: Options, queue: Queue) {
  const [port] = await freePorts(1);
  const worker = await startWorkerProcess(
    {
      KAFKA_BROKERS: bootstrap,
      INPUT_TOPIC: topics.input,
      OUTPUT_TOPIC: topics.output,
      DLQ_TOPIC: topics.dlq,
      KAFKA_GROUP_ID: uniqueName('bench-calls'),
      SCORER: 'roberta',
      MODEL_DIR: o.modelDir,
      MODEL_QUEUE: queue,
      // A long call on a busy CPU takes tens of seconds: never let the fallback score it.
      MODEL_TIMEOUT_MS: '600000',
      ...(o.threads !== undefined ? { MODEL_THREADS: String(o.threads) } : {}),
      ...o.env,
    },
    port as number,
  );
  while ((await fetch(`${worker.url}/ready`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 50));
  return worker;
}

/** The calls without the segments a score cache of `capacity` entries would have answered (same order as cacheHitRate). */
function withoutCacheHits(calls: readonly GeneratedCall[], capacity: number): GeneratedCall[] {
  const lru = new Map<string, true>();
  return calls.map((call) => {
    const segments = call.segments.filter((s) => {
      const key = preprocessTweetText(s.text);
      const hit = lru.has(key);
      lru.delete(key);
      if (!hit && lru.size >= capacity) {
        const oldest = lru.keys().next().value;
        if (oldest !== undefined) lru.delete(oldest);
      }
      lru.set(key, true);
      return !hit;
    });
    return { ...call, segments };
  });
}

const message = (call: GeneratedCall) => ({ key: call.call_id, value: { call_id: call.call_id, segments: call.segments } });

interface Drain {
  seconds: number;
  /** Seconds from /ready to each call's result, ascending: the burst's per-call latency. */
  completions: number[];
  callsPerSecond: number;
  tokensPerSecond: number;
  queue: ReturnType<typeof queueFigures>;
}

async function drain(bootstrap: string, calls: GeneratedCall[], o: Options, queue: Queue): Promise<Drain> {
  const topics = await freshTopics(bootstrap, `drain-${queue}`);
  // One request per call, as callers send them: one record batch per call in the log.
  for (const call of calls) await produceJson(bootstrap, topics.input, [message(call)]);
  const worker = await startWorker(bootstrap, topics, o, queue);
  const t0 = performance.now();
  const readyAt = Date.now();
  await waitForCount(bootstrap, topics.output, calls.length, 60 * 60 * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`${worker.url}/metrics`)).text();
  await worker.stop();
  const results = await readTopicToEnd(bootstrap, topics.output);
  const completions = results.map((m) => (Number(m.timestamp) - readyAt) / 1000).sort((a, b) => a - b);
  const tokens = calls.reduce((n, c) => n + c.tokens, 0);
  return { seconds, completions, callsPerSecond: calls.length / seconds, tokensPerSecond: tokens / seconds, queue: queueFigures(metrics) };
}

interface Paced {
  arrivalsPerSecond: number;
  latencies: number[];
  queue: ReturnType<typeof queueFigures>;
}

async function paced(bootstrap: string, calls: GeneratedCall[], o: Options, queue: Queue, arrivalsPerSecond: number): Promise<Paced> {
  const topics = await freshTopics(bootstrap, `paced-${queue}`);
  const worker = await startWorker(bootstrap, topics, o, queue);
  // Poisson arrivals at the given rate, from the same seed for every setting.
  let state = o.seed * 2654435761;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  const started = Date.now();
  let at = 0;
  for (const call of calls) {
    at += (-Math.log(uniform()) / arrivalsPerSecond) * 1000;
    const wait = started + at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await produceJson(bootstrap, topics.input, [message(call)]);
  }
  await waitForCount(bootstrap, topics.output, calls.length, 60 * 60 * 1000);
  const metrics = await (await fetch(`${worker.url}/metrics`)).text();
  await worker.stop();
  const [inputs, results] = await Promise.all([readTopicToEnd(bootstrap, topics.input), readTopicToEnd(bootstrap, topics.output)]);
  const sentAt = new Map(inputs.map((m) => [String(m.key), Number(m.timestamp)]));
  const latencies = results.map((m) => (Number(m.timestamp) - (sentAt.get(String(m.key)) ?? NaN)) / 1000).sort((a, b) => a - b);
  return { arrivalsPerSecond, latencies, queue: queueFigures(metrics) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  ensureFullModel(o.modelDir);
  const tokenizer = await loadRobertaTokenizer(o.modelDir);
  const tweets = tweetEvalTestTexts();
  const drainCalls = generateCalls(tweets, tokenizer, { count: o.calls, seed: o.seed });
  const pacedCalls = generateCalls(tweets, tokenizer, { count: o.paced, seed: o.seed + 1 });
  const all = [...drainCalls, ...pacedCalls];
  const segments = all.reduce((n, c) => n + c.segments.length, 0);
  const cache = cacheHitRate(all, preprocessTweetText, (t) => tokenizer.countTokens(t), o.cacheSize);
  process.stdout.write(`${all.length} calls, ${segments} segments, ${f(all.reduce((n, c) => n + c.tokens, 0))} tokens (${f(100 * SHORT_TURN_SHARE)}% of turns are backchannels)\n`);

  const broker = await startBenchBroker();
  interface Setting {
    name: string;
    queue: Queue;
    drainCalls: GeneratedCall[];
    paced: boolean;
  }
  const settings: Setting[] = o.queues.map((queue) => ({ name: `MODEL_QUEUE=${queue}`, queue, drainCalls, paced: true }));
  if (o.cacheBound) settings.push({ name: 'process, cache hits skipped', queue: 'process', drainCalls: withoutCacheHits(drainCalls, o.cacheSize), paced: false });
  const runs = new Map<Setting, { drains: Drain[]; paced: Paced[] }>(settings.map((q) => [q, { drains: [], paced: [] }]));
  try {
    for (let r = 0; r < o.repeat; r++) {
      for (const setting of settings) {
        process.stdout.write(`drain ${r + 1}/${o.repeat}: ${setting.drainCalls.length} calls, ${setting.name}...\n`);
        const d = await drain(broker.bootstrap, setting.drainCalls, o, setting.queue);
        runs.get(setting)?.drains.push(d);
        process.stdout.write(`  ${f(d.callsPerSecond, 3)} calls/s\n`);
      }
    }
    // Paced at a share of the slowest setting's median drain rate, the same arrivals for each.
    const rate = o.load * Math.min(...settings.filter((x) => x.paced).map((x) => median((runs.get(x) as { drains: Drain[] }).drains.map((d) => d.callsPerSecond))));
    for (let r = 0; r < o.repeat && o.paced > 0; r++) {
      for (const setting of settings.filter((x) => x.paced)) {
        process.stdout.write(`paced ${r + 1}/${o.repeat}: ${pacedCalls.length} calls at ${f(rate, 3)} calls/s, ${setting.name}...\n`);
        runs.get(setting)?.paced.push(await paced(broker.bootstrap, pacedCalls, o, setting.queue, rate));
      }
    }
  } finally {
    await broker.destroy();
  }
  // One column per setting: the median drain (by calls/s), and every paced call's latency pooled.
  const rows = settings.map((setting) => {
    const v = runs.get(setting) as { drains: Drain[]; paced: Paced[] };
    const byRate = [...v.drains].sort((a, b) => a.callsPerSecond - b.callsPerSecond);
    const mid = byRate[Math.floor((byRate.length - 1) / 2)] as Drain;
    const pooled = v.paced.length ? { arrivalsPerSecond: (v.paced[0] as Paced).arrivalsPerSecond, latencies: v.paced.flatMap((p) => p.latencies).sort((a, b) => a - b), queue: (v.paced[0] as Paced).queue } : undefined;
    return { name: setting.name, drain: mid, rates: v.drains.map((d) => d.callsPerSecond), ...(pooled ? { paced: pooled } : {}) };
  });

  const col = (pick: (r: (typeof rows)[number]) => string) => rows.map(pick).join(' | ');
  const lines = [
    '',
    `full-size RoBERTa-base int8 (${path.relative(repoRoot, o.modelDir)}), Kafka ${broker.version}, 6 partitions; ${drainCalls.length} calls drained, ${pacedCalls.length} paced, ${o.repeat} run(s) of each; seed ${o.seed}${Object.keys(o.env).length ? `; worker env ${JSON.stringify(o.env)}` : ''}`,
    '',
    `| measure | ${col((r) => r.name)} |`,
    `|---|${rows.map(() => '---').join('|')}|`,
    `| drain: calls/s (median${o.repeat > 1 ? ` of ${o.repeat}: runs` : ''}) | ${col((r) => `**${f(r.drain.callsPerSecond, 3)}**${o.repeat > 1 ? ` (${r.rates.map((x) => f(x, 3)).join(', ')})` : ''}`)} |`,
    `| drain: tokens/s | ${col((r) => f(r.drain.tokensPerSecond))} |`,
    `| drain: seconds for ${drainCalls.length} calls | ${col((r) => f(r.drain.seconds, 1))} |`,
    `| drain: each call's result after /ready p50 / p99 s (all arrived at once) | ${col((r) => `${f(percentile(r.drain.completions, 50), 1)} / ${f(percentile(r.drain.completions, 99), 1)}`)} |`,
    `| drain: micro-batches, texts / calls per batch (mean), mixed batches | ${col((r) => `${r.drain.queue.batches}, ${f(r.drain.queue.textsPerBatch, 1)} / ${f(r.drain.queue.callsPerBatch, 2)}, ${r.drain.queue.mixed}`)} |`,
    `| drain: padded tokens per batch p50 (bucket) / mean | ${col((r) => `${f(r.drain.queue.paddedP50)} / ${f(r.drain.queue.paddedMean)}`)} |`,
    `| drain: queue wait p50 / p99 ms (bucket bounds) | ${col((r) => `${f(r.drain.queue.waitP50Ms, 1)} / ${f(r.drain.queue.waitP99Ms, 1)}`)} |`,
    `| drain: results by roberta-onnx / vader | ${col((r) => `${r.drain.queue.roberta} / ${r.drain.queue.vader}`)} |`,
    ...(rows[0]?.paced
      ? [
          `| paced: arrivals calls/s | ${col((r) => (r.paced ? f(r.paced.arrivalsPerSecond, 3) : '-'))} |`,
          `| paced: end-to-end latency per call p50 / p99 / max s | ${col((r) => {
            const l = r.paced?.latencies ?? [];
            return `**${f(percentile(l, 50), 1)}** / **${f(percentile(l, 99), 1)}** / ${f(l[l.length - 1] ?? NaN, 1)}`;
          })} |`,
          `| paced: texts / calls per batch (mean), queue wait p99 ms | ${col((r) => `${f(r.paced?.queue.textsPerBatch ?? NaN, 1)} / ${f(r.paced?.queue.callsPerBatch ?? NaN, 2)}, ${f(r.paced?.queue.waitP99Ms ?? NaN, 1)}`)} |`,
          `| paced: worker event-loop p99 ms | ${col((r) => f(r.paced?.queue.loopP99Ms ?? NaN, 1))} |`,
        ]
      : []),
    '',
    `score cache keyed by the preprocessed text, ${o.cacheSize.toLocaleString('en-US')} entries, over these ${all.length} calls: hits ${f((100 * cache.hits) / cache.segments, 1)}% of segments, ${f((100 * cache.hitTokens) / cache.tokens, 1)}% of tokens`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
