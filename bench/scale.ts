/**
 * Scaling on a replicated cluster: the worker (child processes, VADER) on a 3-node Kafka cluster
 * (RF 3, min.insync.replicas 2), 6 input partitions.
 *
 *   npm run bench:scale [-- --events N (20000) --stream-rate N (400 msg/s) --out FILE (bench/results/scale-lag.svg)]
 *
 * 1. Throughput: 1, 2 and 3 workers, each setup on its own group and topics. The workers join first
 *    (every partition assigned), then the same N TweetEval tweets are written to the input topic;
 *    msg/s = results / (last result timestamp - first result timestamp), as the other benches.
 * 2. Joins and leaves: N events streamed at a steady rate (below one worker's capacity) while a
 *    second and a third worker join and then leave again with SIGTERM. The pause of each event is the
 *    longest stretch without a new result after it, until the next change (at most 20 s, while the
 *    stream still runs).
 * Both: the group's lag every 250 ms (committed offsets vs high watermarks), plotted into one SVG.
 * Must hold: 0 lost everywhere, 0 duplicates for graceful joins and leaves (exit code 1 otherwise).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, ledgerFromTopics, produceRaw, readTopicToEnd, startKafkaCluster, testKafka, workerTopicEnv, type KafkaCluster, type WorkerTopics } from '@sentiment/testing';
import { repoRoot, tweetEvalTestTexts } from './lib/bench-broker';
import { groupLag, LagSampler, type LagSample } from './lib/group-lag';
import { lineChartsSvg, type Marker, type Series } from './lib/svg-line-chart';
import type { WorkerProcess } from '@sentiment/testing';
import { startWorkerProcess } from './lib/worker-process';

const PARTITIONS = 6;

interface Options {
  events: number;
  streamRate: number;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { events: 20_000, streamRate: 400, out: join(repoRoot, 'bench', 'results', 'scale-lag.svg') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') o.events = Number(argv[++i]);
    else if (a === '--stream-rate') o.streamRate = Number(argv[++i]);
    else if (a === '--out') o.out = String(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (!(o.events > 0 && o.streamRate > 0)) throw new Error('--events and --stream-rate must be positive');
  return o;
}

async function createSetup(cluster: KafkaCluster, name: string): Promise<WorkerTopics> {
  const t = { input: `calls.transcribed.${name}`, output: `calls.sentiment.${name}`, dlq: `calls.dlq.${name}`, group: `bench-scale-${name}` };
  await cluster.createTopics([
    { topic: t.input, numPartitions: PARTITIONS },
    { topic: t.output, numPartitions: PARTITIONS },
    { topic: t.dlq, numPartitions: 1 },
  ]);
  return t;
}

function events(texts: string[], count: number, prefix: string): Array<{ key: string; value: string }> {
  return Array.from({ length: count }, (_, i) => {
    const call_id = `${prefix}-${i}`;
    return { key: call_id, value: JSON.stringify({ call_id, text: texts[i % texts.length] }) };
  });
}

async function startWorker(cluster: KafkaCluster, t: WorkerTopics, instance: string): Promise<WorkerProcess> {
  const [port] = await freePorts(1);
  return startWorkerProcess(
    {
      ...workerTopicEnv(cluster.bootstrap, t),
      SCORER: 'vader',
      INSTANCE_ID: instance,
    },
    port as number,
  );
}

async function assignment(w: WorkerProcess, topic: string): Promise<number[]> {
  const health = (await (await fetch(`${w.url}/health`)).json()) as { kafka: { consumer: { assignment?: Record<string, number[]> } } };
  return [...(health.kafka.consumer.assignment?.[topic] ?? [])].sort((a, b) => a - b);
}

async function ready(w: WorkerProcess): Promise<boolean> {
  return fetch(`${w.url}/ready`).then((r) => r.status === 200, () => false);
}

/** Until every worker is ready and together they own each partition once. */
async function waitForGroup(workers: WorkerProcess[], topic: string, timeoutMs = 120_000): Promise<number[][]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const owned = await Promise.all(workers.map((w) => assignment(w, topic).catch(() => [] as number[])));
    const union = owned.flat().sort((a, b) => a - b);
    const allReady = (await Promise.all(workers.map(ready))).every(Boolean);
    if (allReady && owned.every((o) => o.length > 0) && union.join() === Array.from({ length: PARTITIONS }, (_, i) => i).join()) return owned;
    if (Date.now() > deadline) throw new Error(`group did not settle: ${JSON.stringify(owned)}`);
    await sleep(200);
  }
}

async function waitForDrain(cluster: KafkaCluster, t: WorkerTopics, expected: number, timeoutMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { committed, end } = await groupLag(cluster.bootstrap, t.group, t.input);
    if (end >= expected && committed >= end) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${t.group} committed ${committed}/${end}`);
    await sleep(200);
  }
}

interface ResultTimes {
  times: number[];
  count: number;
}

async function resultTimes(cluster: KafkaCluster, topic: string): Promise<ResultTimes> {
  const messages = await readTopicToEnd(cluster.bootstrap, topic, { timeoutMs: 120_000 });
  const times = messages.map((m) => Number(m.timestamp)).sort((a, b) => a - b);
  return { times, count: times.length };
}

/** Longest stretch of [from, to] without a result. */
function longestGap(times: readonly number[], from: number, to: number): number {
  let previous = from;
  let best = 0;
  for (const t of [...times.filter((x) => x >= from && x <= to), to]) {
    best = Math.max(best, t - previous);
    previous = t;
  }
  return best;
}

interface ThroughputRun {
  workers: number;
  assignments: number[][];
  perSecond: number;
  results: number;
  fillSeconds: number;
  drainSeconds: number;
  lost: number;
  duplicates: number;
  lag: LagSample[];
  startedAt: number;
}

async function throughput(cluster: KafkaCluster, texts: string[], n: number, o: Options): Promise<ThroughputRun> {
  const t = await createSetup(cluster, `w${n}`);
  process.stdout.write(`throughput, ${n} worker(s): starting...\n`);
  const workers: WorkerProcess[] = [];
  try {
    for (let i = 0; i < n; i++) workers.push(await startWorker(cluster, t, `scale-${n}-${i + 1}`));
    const assignments = await waitForGroup(workers, t.input);
    const sampler = new LagSampler(cluster.bootstrap, t.group, t.input);
    const startedAt = Date.now();
    await produceRaw(cluster.bootstrap, t.input, events(texts, o.events, `w${n}`));
    const filledAt = Date.now();
    await waitForDrain(cluster, t, o.events);
    const drainedAt = Date.now();
    const lag = await sampler.stop();
    const results = await resultTimes(cluster, t.output);
    const ledger = await ledgerFromTopics(cluster.bootstrap, t);
    const seconds = Math.max(0.001, ((results.times.at(-1) ?? 0) - (results.times[0] ?? 0)) / 1000);
    return {
      workers: n,
      assignments,
      perSecond: results.count / seconds,
      results: results.count,
      fillSeconds: (filledAt - startedAt) / 1000,
      drainSeconds: (drainedAt - startedAt) / 1000,
      lost: ledger.lost.length,
      duplicates: ledger.duplicates.length,
      lag,
      startedAt,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

interface MembershipEvent {
  label: string;
  at: number;
  members: number;
  pauseMs?: number;
  settledMs?: number;
}

/** Writes `count` events at `rate` msg/s in sends every 100 ms, acks=all; resolves with when the last was acknowledged. */
async function stream(cluster: KafkaCluster, topic: string, texts: string[], count: number, rate: number): Promise<number> {
  const producer = testKafka(cluster.bootstrap, { clientId: 'bench-scale-stream' }).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const all = events(texts, count, 'stream');
    const perTick = Math.max(1, Math.round(rate / 10));
    const started = Date.now();
    for (let sent = 0, tick = 0; sent < all.length; tick++) {
      const chunk = all.slice(sent, sent + perTick);
      await producer.send({ topic, acks: -1, messages: chunk });
      sent += chunk.length;
      if (sent >= all.length) return Date.now();
      await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
    }
    return Date.now();
  } finally {
    await producer.disconnect();
  }
}

interface MembershipRun {
  events: MembershipEvent[];
  baselineGapMs: number;
  lost: number;
  duplicates: number;
  results: number;
  lag: LagSample[];
  startedAt: number;
}

async function membership(cluster: KafkaCluster, texts: string[], o: Options): Promise<MembershipRun> {
  const t = await createSetup(cluster, 'membership');
  const streamSeconds = o.events / o.streamRate;
  // Joins and leaves spread over the stream: 2 joins, then 2 leaves.
  const step = (streamSeconds * 1000) / 5;
  process.stdout.write(`joins and leaves: ${o.events} events at ${o.streamRate} msg/s (${streamSeconds.toFixed(0)} s), a membership change every ${(step / 1000).toFixed(1)} s...\n`);
  const first = await startWorker(cluster, t, 'scale-m1');
  const workers = [first];
  const changes: MembershipEvent[] = [];
  try {
    await waitForGroup(workers, t.input);
    const sampler = new LagSampler(cluster.bootstrap, t.group, t.input);
    const startedAt = Date.now();
    const streaming = stream(cluster, t.input, texts, o.events, o.streamRate);
    for (const [k, action] of (['join', 'join', 'leave', 'leave'] as const).entries()) {
      await sleep(Math.max(0, startedAt + (k + 1) * step - Date.now()));
      const at = Date.now();
      if (action === 'join') {
        workers.push(await startWorker(cluster, t, `scale-m${workers.length + 1}`));
        await waitForGroup(workers, t.input);
      } else {
        // The newest member leaves gracefully (SIGTERM: finish, commit, leave the group).
        const leaving = workers.pop() as WorkerProcess;
        await leaving.stop();
        await waitForGroup(workers, t.input);
      }
      changes.push({ label: `${action} -> ${workers.length}`, at, members: workers.length, settledMs: Date.now() - at });
    }
    const streamEndAt = await streaming;
    await waitForDrain(cluster, t, o.events);
    const lag = await sampler.stop();
    const results = await resultTimes(cluster, t.output);
    // Up to the next change (its pause is its own) and the end of the stream (no result is expected after it).
    changes.forEach((c, i) => {
      c.pauseMs = longestGap(results.times, c.at, Math.min(c.at + 20_000, changes[i + 1]?.at ?? Infinity, streamEndAt));
    });
    const ledger = await ledgerFromTopics(cluster.bootstrap, t);
    return {
      events: changes,
      // The same measure in a quiet stretch (one worker, before the first join) for comparison.
      baselineGapMs: longestGap(results.times, startedAt + 2000, startedAt + step - 500),
      lost: ledger.lost.length,
      duplicates: ledger.duplicates.length,
      results: results.count,
      lag,
      startedAt,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

function toSeries(name: string, samples: readonly LagSample[], from: number): Series {
  return { name, points: samples.map((s) => [(s.at - from) / 1000, s.lag] as const) };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const texts = tweetEvalTestTexts();
  process.stdout.write('starting a 3-node Kafka cluster (full JIT)...\n');
  const cluster = await startKafkaCluster({ size: 3, fastStart: false });
  process.stdout.write(`cluster ${cluster.version} on ${cluster.bootstrap}\n`);
  let failed = false;
  try {
    const runs: ThroughputRun[] = [];
    for (const n of [1, 2, 3]) runs.push(await throughput(cluster, texts, n, o));
    const m = await membership(cluster, texts, o);

    const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const base = runs[0]?.perSecond ?? 1;
    const lines = [
      '',
      `${f(o.events)} TweetEval tweets, ${PARTITIONS} partitions, 3-node Kafka ${cluster.version} cluster (RF 3, min.insync.replicas 2), SCORER=vader`,
      '',
      '| workers | partitions each | msg/s | vs 1 worker | fill (s) | drain from first write (s) | results | lost | duplicates |',
      '|---|---|---|---|---|---|---|---|---|',
      ...runs.map(
        (r) =>
          `| ${r.workers} | ${r.assignments.map((a) => a.length).join(' + ')} | ${f(r.perSecond)} | ${f(r.perSecond / base, 2)}x | ${f(r.fillSeconds, 1)} | ${f(r.drainSeconds, 1)} | ${r.results} | ${r.lost} | ${r.duplicates} |`,
      ),
      '',
      `joins and leaves while ${f(o.events)} events stream in at ${f(o.streamRate)} msg/s: longest gap without a result in a quiet stretch ${f(m.baselineGapMs)} ms`,
      '',
      '| change | at (s) | group settled after (ms) | pause: longest gap without a result until the next change (ms) |',
      '|---|---|---|---|',
      ...m.events.map((e) => `| ${e.label} | ${f((e.at - m.startedAt) / 1000, 1)} | ${f(e.settledMs ?? 0)} | ${f(e.pauseMs ?? 0)} |`),
      '',
      `ledger: ${m.results} results, ${m.lost} lost, ${m.duplicates} duplicates`,
    ];
    failed = runs.some((r) => r.lost > 0) || m.lost > 0 || m.duplicates > 0;
    if (failed) lines.push('', 'FAILED: inputs lost, or duplicated by a graceful join/leave');

    const svg = lineChartsSvg(
      [
        {
          title: `Lag while ${f(o.events)} events drain (written after the workers joined)`,
          xLabel: 'seconds since the first write',
          yLabel: 'group lag (messages)',
          series: runs.map((r) => toSeries(`${r.workers} worker${r.workers > 1 ? 's' : ''} (${f(r.perSecond)} msg/s)`, r.lag, r.startedAt)),
        },
        {
          title: `Lag while workers join and leave (${f(o.streamRate)} msg/s stream)`,
          xLabel: 'seconds since the stream started',
          yLabel: 'group lag (messages)',
          series: [toSeries('group lag', m.lag, m.startedAt)],
          markers: m.events.map((e): Marker => ({ x: (e.at - m.startedAt) / 1000, label: `${e.label} (pause ${f(e.pauseMs ?? 0)} ms)` })),
        },
      ],
      { caption: `npm run bench:scale, ${new Date().toISOString().slice(0, 16)} UTC, Kafka ${cluster.version}, shared 2-core machine` },
    );
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, svg);
    lines.push('', `lag plot: ${relative(repoRoot, o.out)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cluster.destroy();
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
