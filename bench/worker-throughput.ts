/**
 * End-to-end worker throughput on a real local broker, VADER mode.
 *
 *   npm run bench:loop   -- the worker drains 20,000 events while GET /health is called every
 *                           10 ms; prints the /health p99 (the event loop stays free) and the rate.
 *   npm run bench:vader  -- the same, preceded by the Python peer (../bench/peer/peer_vader.py) on
 *                           the same broker and events; prints both rates, their ratio, the
 *                           scorer-alone texts/s of ours and of the reference, /health p99, RSS.
 *
 * Options: --events N (20000)  --partitions N (6)  --no-peer  --no-scorer  --runs N (scorer runs)
 * Rates are results / (last result timestamp - first result timestamp), for both loops.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeVader } from '@sentiment/scoring';
import { createTopics, freePorts, ledgerFromTopics } from '@sentiment/testing';
import { fillEvents, repoRoot, startBenchBroker, tweetEvalTestTexts } from './lib/bench-broker';
import { HealthPinger } from './lib/health-pinger';
import { resultRate, waitForCount, type RateReport } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';

interface Options {
  repeat: number;
  events: number;
  partitions: number;
  peer: boolean;
  scorer: boolean;
  runs: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { repeat: 3, events: 20000, partitions: 6, peer: true, scorer: true, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') o.events = Number(argv[++i]);
    else if (a === '--partitions') o.partitions = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--no-scorer') o.scorer = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function ensurePeerDeps(): void {
  const check = spawnSync('python3', ['-c', 'import kafka, vaderSentiment'], { stdio: 'ignore' });
  if (check.status === 0) return;
  process.stdout.write('installing kafka-python-ng and vaderSentiment with pip...\n');
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', 'kafka-python-ng==2.2.3', 'vaderSentiment==3.3.2'], { stdio: 'inherit' });
  if (pip.status !== 0) throw new Error('pip install kafka-python-ng vaderSentiment failed');
}

function runPeer(bootstrap: string, events: number): void {
  ensurePeerDeps();
  process.stdout.write('running the Python peer...\n');
  const peer = spawnSync('python3', [join(repoRoot, 'bench', 'peer', 'peer_vader.py'), bootstrap, String(events), 'peer.sentiment', 'peer-group'], {
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
  if (peer.status !== 0) throw new Error(`peer failed: ${peer.stderr}`);
  process.stdout.write(`peer says: ${peer.stdout.trim().split('\n').pop()}\n`);
}

function ourScorerRate(texts: string[], runs: number): number {
  const rates: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    const t0 = performance.now();
    for (const t of texts) analyzeVader(t);
    const s = (performance.now() - t0) / 1000;
    if (r > 0) rates.push(texts.length / s);
  }
  return median(rates);
}

function referenceScorerRate(runs: number): number | undefined {
  const out = spawnSync('python3', [join(repoRoot, 'scripts', 'vader-reference.py'), '--runs', String(runs)], { encoding: 'utf8', timeout: 10 * 60 * 1000 });
  if (out.status !== 0) return undefined;
  const line = out.stdout.trim().split('\n').pop() ?? '{}';
  return (JSON.parse(line) as { wall_texts_per_s?: number }).wall_texts_per_s;
}

interface WorkerRun {
  rate: RateReport;
  health: Awaited<ReturnType<HealthPinger['stop']>>;
  loop: { p50: number; p99: number; max: number };
  rss: number[];
  exitCode: number | null;
  drainSeconds: number;
}

async function runWorker(bootstrap: string, o: Options, run: number): Promise<WorkerRun> {
  const output = `calls.sentiment.${run}`;
  await createTopics(bootstrap, [{ topic: output, numPartitions: o.partitions }]);
  const [port] = await freePorts(1);
  const worker = await startWorkerProcess({ KAFKA_BROKERS: bootstrap, SCORER: 'vader', KAFKA_GROUP_ID: `worker-bench-${run}`, OUTPUT_TOPIC: output }, port as number);
  const pinger = new HealthPinger(worker.url, 10);
  pinger.start();
  const rss: number[] = [worker.rssMb()];
  const t0 = Date.now();
  await waitForCount(bootstrap, output, o.events, 10 * 60 * 1000, () => rss.push(worker.rssMb()));
  const drainSeconds = (Date.now() - t0) / 1000;
  const health = await pinger.stop();
  // prom-client resets its event-loop histogram at each scrape: this first scrape covers the run.
  const metricsText = await (await fetch(`${worker.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? NaN) * 1000;
  const loop = { p50: gauge('nodejs_eventloop_lag_p50_seconds'), p99: gauge('nodejs_eventloop_lag_p99_seconds'), max: gauge('nodejs_eventloop_lag_max_seconds') };
  const exitCode = await worker.stop();
  const rate = await resultRate(bootstrap, output);
  return { rate, health, loop, rss, exitCode, drainSeconds };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const texts = tweetEvalTestTexts();
  const broker = await startBenchBroker();
  try {
    const bootstrap = broker.bootstrap;
    await createTopics(bootstrap, [
      { topic: 'calls.transcribed.dlq', numPartitions: 1 },
      { topic: 'peer.sentiment', numPartitions: o.partitions },
    ]);
    process.stdout.write(`filling ${o.events} TweetEval test tweets into calls.transcribed (${o.partitions} partitions)...\n`);
    await fillEvents(bootstrap, 'calls.transcribed', o.partitions, texts, o.events);

    let peer: RateReport | undefined;
    if (o.peer) {
      runPeer(bootstrap, o.events);
      peer = await resultRate(bootstrap, 'peer.sentiment');
    }

    // The worker drains the same 20,000 events `repeat` times (a new group and output topic each
    // time): one drain lasts 2-3 s, so one run's /health p99 rests on ~100 requests.
    const runs: WorkerRun[] = [];
    for (let r = 0; r < o.repeat; r++) {
      process.stdout.write(`running the worker (SCORER=vader), run ${r + 1}/${o.repeat}...\n`);
      runs.push(await runWorker(bootstrap, o, r));
    }
    const ledger = await ledgerFromTopics(bootstrap, { input: 'calls.transcribed', output: 'calls.sentiment.0', dlq: 'calls.transcribed.dlq' });
    const mid = (pick: (r: WorkerRun) => number) => median(runs.map(pick));
    const ours = { perSecond: mid((r) => r.rate.perSecond) };
    const health = { p50: mid((r) => r.health.p50), p99: mid((r) => r.health.p99), max: Math.max(...runs.map((r) => r.health.max)), count: runs.reduce((n, r) => n + r.health.count, 0), failures: runs.reduce((n, r) => n + r.health.failures, 0) };
    const loop = { p50: mid((r) => r.loop.p50), p99: mid((r) => r.loop.p99), max: Math.max(...runs.map((r) => r.loop.max)) };
    const rss = runs.flatMap((r) => r.rss);
    const exitCode = runs.map((r) => r.exitCode).join(', ');
    const drainSeconds = mid((r) => r.drainSeconds);

    let ourScorer: number | undefined;
    let refScorer: number | undefined;
    if (o.scorer) {
      process.stdout.write('timing the scorers alone...\n');
      ourScorer = ourScorerRate(texts, o.runs);
      refScorer = o.peer ? referenceScorerRate(o.runs) : undefined;
    }

    const f = (n: number | undefined, d = 0) => (n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
    const lines = [
      '',
      `| measure | value |`,
      `|---|---|`,
      `| events | ${f(o.events)} on ${o.partitions} partitions, Kafka ${broker.version} |`,
      ...(peer ? [`| Python peer (kafka-python-ng + vaderSentiment) msg/s | ${f(peer.perSecond)} (${peer.results} results in ${f(peer.seconds, 2)} s) |`] : []),
      `| worker (VADER) msg/s, median of ${runs.length} | ${f(ours.perSecond)} (runs: ${runs.map((r) => f(r.rate.perSecond)).join(', ')}; drain seen by the bench ${f(drainSeconds, 2)} s) |`,
      ...(peer ? [`| worker / peer | ${f(ours.perSecond / peer.perSecond, 2)}x |`] : []),
      `| GET /health during the drain (medians of runs; max of all) | p50 ${f(health.p50, 1)} ms, p99 ${f(health.p99, 1)} ms, max ${f(health.max, 1)} ms, ${health.count} requests, ${health.failures} failed |`,
      `| worker's own event-loop delay (medians of runs; max of all) | p50 ${f(loop.p50, 1)} ms, p99 ${f(loop.p99, 1)} ms, max ${f(loop.max, 1)} ms |`,
      `| worker RSS | start ${rss[0]} MB, max ${Math.max(...rss)} MB, end ${rss[rss.length - 1]} MB |`,
      `| ledger (run 1) | inputs ${ledger.inputs}, results ${ledger.results}, dead letters ${ledger.deadLetters}, lost ${ledger.lost.length}, duplicates ${ledger.duplicates.length} |`,
      `| worker exit code after SIGTERM | ${exitCode} |`,
      ...(ourScorer !== undefined ? [`| scorer alone, ours (one thread) texts/s | ${f(ourScorer)} |`] : []),
      ...(refScorer !== undefined ? [`| scorer alone, reference Python texts/s | ${f(refScorer)} |`, `| scorer ours / reference | ${f((ourScorer ?? 0) / refScorer, 2)}x |`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await broker.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
