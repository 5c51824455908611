/**
 * Soak: a long stream of short events through the worker (child process, SCORER=vader) on a local
 * broker. The events are produced while the worker runs, in chunks, never more than `--backlog`
 * ahead of the results, so memory here stays flat and latency is that of a busy worker, not of
 * a queue. A consumer in this process reads every result as it arrives and records its end-to-end
 * latency (result record timestamp - input record timestamp) and which input it answers.
 *
 *   npm run soak [-- --events N (1000000) --partitions N (6) --backlog N (10000) --chunk N (1000) --rate N (0)]
 *
 * `--rate N` paces production at N events/s (below the worker's capacity, latency is then the
 * worker's own rather than time spent queued behind the backlog).
 *
 * Prints throughput, latency percentiles, the worker's RSS at start / middle / end with a bound
 * (end RSS <= 1.25 x middle RSS, no growth over the second half), and the ledger (lost, duplicated).
 * Latency includes the wait behind at most `--backlog` queued events: it is that of a worker kept busy.
 */
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { createTopics, freePorts } from '@sentiment/testing';
import { startBenchBroker, tweetEvalTestTexts } from './lib/bench-broker';
import { startWorkerProcess } from './lib/worker-process';

interface Options {
  events: number;
  partitions: number;
  backlog: number;
  chunk: number;
  /** Events per second to produce at most (0 = as fast as the backlog allows). */
  rate: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { events: 1_000_000, partitions: 6, backlog: 10_000, chunk: 1_000, rate: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = Number(argv[i + 1]);
    if (a === '--events') o.events = n;
    else if (a === '--partitions') o.partitions = n;
    else if (a === '--backlog') o.backlog = n;
    else if (a === '--chunk') o.chunk = n;
    else if (a === '--rate') o.rate = n;
    else throw new Error(`unknown option ${a}`);
    i++;
  }
  return o;
}

const TOPICS = { input: 'soak.transcribed', output: 'soak.sentiment', dlq: 'soak.dlq' };

function rssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** Reads results and dead letters as they arrive; keeps one latency and one counter per input. */
class OutcomeTracker {
  readonly seen: Uint8Array;
  readonly latencyMs: Float64Array;
  results = 0;
  deadLetters = 0;
  unknown = 0;
  firstResultTs = Infinity;
  lastResultTs = -Infinity;
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka, private readonly events: number) {
    this.seen = new Uint8Array(events);
    this.latencyMs = new Float64Array(events).fill(NaN);
  }

  get outcomes(): number {
    return this.results + this.deadLetters;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `soak-reader-${Date.now()}`, maxBytesPerPartition: 4 * 1024 * 1024 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.output, TOPICS.dlq], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const isResult = batch.topic === TOPICS.output;
        for (const m of batch.messages) {
          const key = m.key?.toString() ?? '';
          const index = key.startsWith('soak-') ? Number(key.slice(5)) : NaN;
          if (!Number.isInteger(index) || index < 0 || index >= this.events) {
            this.unknown++;
            continue;
          }
          this.seen[index] = Math.min(255, (this.seen[index] ?? 0) + 1);
          if (!isResult) {
            this.deadLetters++;
            continue;
          }
          this.results++;
          const ts = Number(m.timestamp);
          if (ts < this.firstResultTs) this.firstResultTs = ts;
          if (ts > this.lastResultTs) this.lastResultTs = ts;
          // The input's record timestamp is in the result as source.timestamp; a regex is enough here.
          const source = /"source":\{[^}]*"timestamp":"(\d+)"/.exec(m.value?.toString() ?? '');
          if (source) this.latencyMs[index] = ts - Number(source[1]);
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

async function produceStreaming(producer: Producer, o: Options, texts: string[], progress: () => number): Promise<void> {
  const t0 = Date.now();
  for (let start = 0; start < o.events; start += o.chunk) {
    // Paced: the chunk starting at event `start` is due at start / rate seconds.
    if (o.rate > 0) {
      const due = t0 + (start / o.rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    // Back-pressure: stay at most `backlog` events ahead of the outcomes.
    while (start - progress() > o.backlog) await new Promise((r) => setTimeout(r, 20));
    const end = Math.min(o.events, start + o.chunk);
    const messages = [];
    for (let i = start; i < end; i++) {
      const call_id = `soak-${i}`;
      messages.push({ key: call_id, value: JSON.stringify({ call_id, text: texts[i % texts.length] }) });
    }
    await producer.send({ topic: TOPICS.input, acks: -1, messages });
  }
}

const pct = (sorted: Float64Array, p: number) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN);

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const texts = tweetEvalTestTexts();
  const broker = await startBenchBroker();
  let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  try {
    const bootstrap = broker.bootstrap;
    await createTopics(bootstrap, [
      { topic: TOPICS.input, numPartitions: o.partitions },
      { topic: TOPICS.output, numPartitions: o.partitions },
      { topic: TOPICS.dlq, numPartitions: 1 },
    ]);
    const kafka = new Kafka({ clientId: 'soak', brokers: [bootstrap], logLevel: logLevel.ERROR });
    const tracker = new OutcomeTracker(kafka, o.events);
    await tracker.start();

    const [port] = await freePorts(1);
    worker = await startWorkerProcess(
      { KAFKA_BROKERS: bootstrap, SCORER: 'vader', KAFKA_GROUP_ID: 'soak-worker', INPUT_TOPIC: TOPICS.input, OUTPUT_TOPIC: TOPICS.output, DLQ_TOPIC: TOPICS.dlq },
      port as number,
    );
    const pid = worker.child.pid;
    // Produce only once the worker is in its group, so start-up does not count as latency.
    for (let ready = false; !ready; ) {
      ready = await fetch(`${worker.url}/ready`).then((r) => r.status === 200, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    const rssStart = rssMb(pid);
    const samples: { outcomes: number; rss: number; at: number }[] = [];
    let rssMiddle: number | undefined;
    const t0 = Date.now();
    const sampler = setInterval(() => {
      const rss = rssMb(pid);
      samples.push({ outcomes: tracker.outcomes, rss, at: Date.now() - t0 });
      if (rssMiddle === undefined && tracker.outcomes >= o.events / 2) rssMiddle = rss;
    }, 1000);
    let lastReport = 0;
    const reporter = setInterval(() => {
      const n = tracker.outcomes;
      const s = (Date.now() - t0) / 1000;
      process.stdout.write(`  ${s.toFixed(0)} s: ${n.toLocaleString('en-US')} outcomes (${Math.round((n - lastReport) / 10)}/s), worker RSS ${rssMb(pid)} MB\n`);
      lastReport = n;
    }, 10_000);

    process.stdout.write(
      `soak: ${o.events.toLocaleString('en-US')} events, ${o.partitions} partitions, backlog <= ${o.backlog}, ` +
        `${o.rate > 0 ? `paced at ${o.rate}/s` : 'unpaced'}, Kafka ${broker.version}\n`,
    );
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await produceStreaming(producer, o, texts, () => tracker.outcomes);
    await producer.disconnect();
    const deadline = Date.now() + 10 * 60 * 1000;
    while (tracker.outcomes < o.events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // A moment for any duplicate still in flight to show up.
    await new Promise((r) => setTimeout(r, 2000));
    clearInterval(sampler);
    clearInterval(reporter);
    const rssEnd = rssMb(pid);
    const wallSeconds = (Date.now() - t0) / 1000;
    const health = (await (await fetch(`${worker.url}/health`)).json()) as { status: string };
    const exitCode = await worker.stop();
    worker = undefined;
    await tracker.stop();

    let lost = 0;
    let duplicated = 0;
    for (const count of tracker.seen) {
      if (count === 0) lost++;
      else if (count > 1) duplicated++;
    }
    const latencies = tracker.latencyMs.filter((x) => !Number.isNaN(x)).sort();
    const rate = tracker.results / Math.max(0.001, (tracker.lastResultTs - tracker.firstResultTs) / 1000);
    // Second half: RSS must not keep growing (least-squares slope, MB per 100k outcomes).
    const second = samples.filter((s) => s.outcomes >= o.events / 2);
    const slope = slopePer100k(second.map((s) => [s.outcomes, s.rss]));
    const middle = rssMiddle ?? rssEnd;
    const bounded = rssEnd <= 1.25 * middle && slope < 5;
    const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [
      '',
      '| measure | value |',
      '|---|---|',
      `| events | ${f(o.events)} short TweetEval texts, ${o.partitions} partitions, Kafka ${broker.version}, SCORER=vader, ` +
        `${o.rate > 0 ? `paced at ${f(o.rate)}/s` : `unpaced`}, backlog <= ${f(o.backlog)} |`,
      `| wall time | ${f(wallSeconds, 1)} s |`,
      `| throughput | ${f(rate)} results/s (first to last result timestamp) |`,
      `| end-to-end latency (input record -> result record) | p50 ${f(pct(latencies, 50))} ms, p90 ${f(pct(latencies, 90))} ms, p99 ${f(pct(latencies, 99))} ms, p99.9 ${f(pct(latencies, 99.9))} ms, max ${f(latencies[latencies.length - 1] ?? NaN)} ms |`,
      `| worker RSS | start ${rssStart} MB, middle ${middle} MB, end ${rssEnd} MB, max ${Math.max(...samples.map((s) => s.rss))} MB |`,
      `| RSS second-half slope | ${f(slope, 2)} MB per 100k events |`,
      `| RSS bound (end <= 1.25 x middle, slope < 5 MB/100k) | ${bounded ? 'PASS' : 'FAIL'} |`,
      `| ledger | results ${f(tracker.results)}, dead letters ${f(tracker.deadLetters)}, lost ${lost}, duplicated ${duplicated}, unknown ${tracker.unknown} |`,
      `| /health at the end | ${health.status} |`,
      `| worker exit code after SIGTERM | ${exitCode} |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!bounded || lost > 0) process.exitCode = 1;
  } finally {
    if (worker) await worker.stop();
    // destroy, not stop: the data directory of a long run is large.
    await broker.destroy();
  }
}

/** Least-squares slope of y over x, scaled to y per 100,000 x. */
function slopePer100k(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 100_000;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
