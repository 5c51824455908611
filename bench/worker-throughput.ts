/**
 * End-to-end worker throughput on a real local broker, VADER mode.
 *
 *   npm run bench:loop   -- the worker drains 20,000 events while GET /health is called every
 *                           10 ms; prints the /health percentiles (the event loop stays free) and the rate.
 *   npm run bench:vader  -- the same, beside the Python peer (bench/peer/peer_vader.py) on the same
 *                           broker and events: both rates (medians of 3), their ratio, /health p50/p99/max
 *                           during the drains, peak RSS, the scorers alone.
 *
 * Options:
 *   --client kafkajs|platformatic|both   Kafka client(s) of the worker, side by side (default both)
 *   --processing worker-pool|main-thread|both   BATCH_PROCESSING (default worker-pool, the worker's default)
 *   --profile        one more drain per configuration under --cpu-prof: where the main thread's CPU goes
 *   --profile-dir D  the same, keeping the .cpuprofile files under D
 *   --env K=V        extra worker environment (repeatable), e.g. --env BATCH_POOL_THREADS=2
 *   --vary K=a,b     one more column per value of a worker variable, side by side, e.g. --vary KAFKA_MAX_BYTES=131072,262144
 *   --events N (20000)  --partitions N (6)  --repeat N (3 drains each)  --no-peer  --no-scorer  --runs N (scorer runs)
 * Rates are results / (last result timestamp - first result timestamp), for both loops.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeVader } from '@sentiment/scoring';
import { createTopics, ensurePythonVenv, freePorts, ledgerFromTopics, runPythonScript } from '@sentiment/testing';
import { fillEvents, startBenchBroker, tweetEvalTestTexts } from './lib/bench-broker';
import { CpuCategories, cpuBreakdown, otherThreadsBusyMs, readMainThreadProfile, type CpuBreakdown } from './lib/cpu-profile';
import { HealthPinger, percentile } from './lib/health-pinger';
import { cpuSince, readThreadCpu, type ThreadCpu } from './lib/thread-cpu';
import { resultRate, waitForCount, type RateReport } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';

const CLIENTS = ['kafkajs', 'platformatic'] as const;
const PROCESSING = ['worker-pool', 'main-thread'] as const;

interface Options {
  repeat: number;
  events: number;
  partitions: number;
  peer: boolean;
  scorer: boolean;
  runs: number;
  clients: (typeof CLIENTS)[number][];
  processing: (typeof PROCESSING)[number][];
  profile: boolean;
  /** Keep the .cpuprofile files here (one directory per configuration) instead of deleting them. */
  profileDir: string | undefined;
  env: Record<string, string>;
  vary: { name: string; values: string[] } | undefined;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (value === 'both') return [...allowed];
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return [value as T];
  throw new Error(`${flag} must be ${allowed.join(', ')} or both (got ${value})`);
}

function parseOptions(argv: string[]): Options {
  const o: Options = { repeat: 3, events: 20000, partitions: 6, peer: true, scorer: true, runs: 5, clients: [...CLIENTS], processing: ['worker-pool'], profile: false, profileDir: undefined, env: {}, vary: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') o.events = Number(argv[++i]);
    else if (a === '--partitions') o.partitions = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--no-scorer') o.scorer = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--profile-dir') {
      o.profile = true;
      o.profileDir = String(argv[++i]);
    }
    else if (a === '--client') o.clients = choice('--client', argv[++i], CLIENTS);
    else if (a === '--processing') o.processing = choice('--processing', argv[++i], PROCESSING);
    else if (a === '--vary') {
      const [k, ...rest] = String(argv[++i]).split('=');
      const v = rest.join('=');
      if (!k || !v) throw new Error('--vary takes NAME=value1,value2');
      o.vary = { name: k, values: v.split(',') };
    } else if (a === '--env') {
      const [k, ...v] = String(argv[++i]).split('=');
      if (!k || v.length === 0) throw new Error('--env takes NAME=value');
      o.env[k] = v.join('=');
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** kafka-python-ng + vaderSentiment, pinned, in a venv of their own under .cache/python. */
const peerPython = () => ensurePythonVenv('bench-peer', 'bench/peer/requirements.txt');

async function runPeer(bootstrap: string, events: number, run: number, partitions: number): Promise<RateReport> {
  const python = await peerPython();
  const output = `peer.sentiment.${run}`;
  await createTopics(bootstrap, [{ topic: output, numPartitions: partitions }]);
  process.stdout.write(`running the Python peer, run ${run + 1}...\n`);
  const out = await runPythonScript(python, 'bench/peer/peer_vader.py', [bootstrap, String(events), output, `peer-group-${run}`], 15 * 60 * 1000);
  process.stdout.write(`peer says: ${out.trim().split('\n').pop()}\n`);
  return resultRate(bootstrap, output);
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

async function referenceScorerRate(runs: number): Promise<number | undefined> {
  try {
    const out = await runPythonScript(await peerPython(), 'scripts/vader-reference.py', ['--runs', String(runs)], 10 * 60 * 1000);
    const line = out.trim().split('\n').pop() ?? '{}';
    return (JSON.parse(line) as { wall_texts_per_s?: number }).wall_texts_per_s;
  } catch {
    return undefined;
  }
}

interface Config {
  client: (typeof CLIENTS)[number];
  processing: (typeof PROCESSING)[number];
  /** The --vary variable's value for this column. */
  varied?: { name: string; value: string };
}
const label = (c: Config) => `${c.client}, ${c.processing}${c.varied ? `, ${c.varied.name}=${c.varied.value}` : ''}`;

interface WorkerRun {
  rate: RateReport;
  health: Awaited<ReturnType<HealthPinger['stop']>>;
  loop: { p50: number; p99: number; max: number };
  rss: number[];
  exitCode: number | null;
  drainSeconds: number;
  output: string;
  /** CPU the worker's threads used from its start to the end of the drain (the broker's is not in it). */
  cpu: ThreadCpu;
  /** /health while the drained worker idles (the machine's own contribution to its latency). */
  idleHealth: Awaited<ReturnType<HealthPinger['stop']>>;
  /** CPU per second the idle worker spends answering the same /health calls (and its timers). */
  idleCpuPerSecond: ThreadCpu;
}

async function runWorker(bootstrap: string, o: Options, config: Config, run: string, extraEnv: Record<string, string> = {}): Promise<WorkerRun> {
  const output = `calls.sentiment.${run}`;
  await createTopics(bootstrap, [{ topic: output, numPartitions: o.partitions }]);
  const [port] = await freePorts(1);
  const worker = await startWorkerProcess(
    { KAFKA_BROKERS: bootstrap, SCORER: 'vader', KAFKA_CLIENT: config.client, BATCH_PROCESSING: config.processing, KAFKA_GROUP_ID: `worker-bench-${run}`, OUTPUT_TOPIC: output, ...o.env, ...(config.varied ? { [config.varied.name]: config.varied.value } : {}), ...extraEnv },
    port as number,
  );
  const pinger = new HealthPinger(worker.url, 10);
  pinger.start();
  const rss: number[] = [worker.rssMb()];
  const cpuAtStart = readThreadCpu(worker.child.pid);
  const t0 = Date.now();
  await waitForCount(bootstrap, output, o.events, 10 * 60 * 1000, () => rss.push(worker.rssMb()));
  const drainSeconds = (Date.now() - t0) / 1000;
  const cpu = cpuSince(cpuAtStart, readThreadCpu(worker.child.pid));
  const health = await pinger.stop();
  const idlePinger = new HealthPinger(worker.url, 10);
  const idleStart = readThreadCpu(worker.child.pid);
  const idleT0 = Date.now();
  idlePinger.start();
  await new Promise((r) => setTimeout(r, 2000));
  const idleHealth = await idlePinger.stop();
  const idleUsed = cpuSince(idleStart, readThreadCpu(worker.child.pid));
  const idleSeconds = (Date.now() - idleT0) / 1000;
  const idleCpuPerSecond = { main: idleUsed.main / idleSeconds, workers: idleUsed.workers / idleSeconds, v8: idleUsed.v8 / idleSeconds, other: idleUsed.other / idleSeconds };
  // prom-client resets its event-loop histogram at each scrape: this first scrape covers the run.
  const metricsText = await (await fetch(`${worker.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? NaN) * 1000;
  const loop = { p50: gauge('nodejs_eventloop_lag_p50_seconds'), p99: gauge('nodejs_eventloop_lag_p99_seconds'), max: gauge('nodejs_eventloop_lag_max_seconds') };
  const exitCode = await worker.stop();
  const rate = await resultRate(bootstrap, output);
  return { rate, health, loop, rss, exitCode, drainSeconds, output, cpu, idleHealth, idleCpuPerSecond };
}

interface ConfigReport {
  config: Config;
  runs: WorkerRun[];
  profile?: { breakdown: CpuBreakdown; otherThreadsMs: number; drainSeconds: number };
}

async function profileWorker(bootstrap: string, o: Options, config: Config, run: string): Promise<ConfigReport['profile']> {
  const dir = o.profileDir ? join(o.profileDir, run) : mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'));
  mkdirSync(dir, { recursive: true });
  try {
    const profiled = await runWorker(bootstrap, o, config, run, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200` });
    return { breakdown: cpuBreakdown(readMainThreadProfile(dir)), otherThreadsMs: otherThreadsBusyMs(dir), drainSeconds: profiled.drainSeconds };
  } finally {
    if (!o.profileDir) rmSync(dir, { recursive: true, force: true });
  }
}

const f = (n: number | undefined, d = 0) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const texts = tweetEvalTestTexts();
  const variants = o.vary ? o.vary.values.map((value) => ({ name: (o.vary as { name: string }).name, value })) : [undefined];
  const configs: Config[] = o.clients.flatMap((client) => o.processing.flatMap((processing) => variants.map((varied) => ({ client, processing, ...(varied ? { varied } : {}) }))));
  const broker = await startBenchBroker();
  try {
    const bootstrap = broker.bootstrap;
    await createTopics(bootstrap, [{ topic: 'calls.transcribed.dlq', numPartitions: 1 }]);
    process.stdout.write(`filling ${o.events} TweetEval test tweets into calls.transcribed (${o.partitions} partitions)...\n`);
    await fillEvents(bootstrap, 'calls.transcribed', o.partitions, texts, o.events);

    // Peer and worker drains interleaved, so a load change on the shared machine hits both alike.
    const peers: RateReport[] = [];
    const reports: ConfigReport[] = configs.map((config) => ({ config, runs: [] }));
    for (let r = 0; r < o.repeat; r++) {
      if (o.peer) peers.push(await runPeer(bootstrap, o.events, r, o.partitions));
      for (const [i, report] of reports.entries()) {
        process.stdout.write(`running the worker (SCORER=vader, ${label(report.config)}), run ${r + 1}/${o.repeat}...\n`);
        report.runs.push(await runWorker(bootstrap, o, report.config, `c${i}.r${r}`));
      }
    }
    if (o.profile) {
      for (const [i, report] of reports.entries()) {
        process.stdout.write(`profiling the worker's main thread (${label(report.config)})...\n`);
        report.profile = await profileWorker(bootstrap, o, report.config, `c${i}.profile`);
      }
    }
    const ledgers = await Promise.all(reports.map((r) => ledgerFromTopics(bootstrap, { input: 'calls.transcribed', output: (r.runs[0] as WorkerRun).output, dlq: 'calls.transcribed.dlq' })));

    let ourScorer: number | undefined;
    let refScorer: number | undefined;
    if (o.scorer) {
      process.stdout.write('timing the scorers alone...\n');
      ourScorer = ourScorerRate(texts, o.runs);
      refScorer = o.peer ? await referenceScorerRate(o.runs) : undefined;
    }

    const peerRate = peers.length ? median(peers.map((p) => p.perSecond)) : undefined;
    const row = (name: string, cell: (r: ConfigReport, i: number) => string) => `| ${name} | ${reports.map(cell).join(' | ')} |`;
    const mid = (r: ConfigReport, pick: (w: WorkerRun) => number) => median(r.runs.map(pick));
    const lines = [
      '',
      `${o.events.toLocaleString('en-US')} events on ${o.partitions} partitions, Kafka ${broker.version}; medians of ${o.repeat} drains per column${Object.keys(o.env).length ? `; worker env ${JSON.stringify(o.env)}` : ''}`,
      ...(peerRate !== undefined ? [`Python peer (kafka-python-ng + vaderSentiment): ${f(peerRate)} msg/s, median of ${peers.map((p) => f(p.perSecond)).join(', ')}`] : []),
      '',
      `| measure | ${reports.map((r) => label(r.config)).join(' | ')} |`,
      `|---|${reports.map(() => '---').join('|')}|`,
      row('worker msg/s (median)', (r) => `${f(mid(r, (w) => w.rate.perSecond))} (${r.runs.map((w) => f(w.rate.perSecond)).join(', ')})`),
      ...(peerRate !== undefined ? [row('**worker / peer**', (r) => `**${f(mid(r, (w) => w.rate.perSecond) / peerRate, 2)}x**`)] : []),
      row('GET /health during the drains p50 / p99 / max ms', (r) => {
        const all = r.runs.flatMap((w) => w.health.latencies).sort((a, b) => a - b);
        return `${f(percentile(all, 50), 1)} / **${f(percentile(all, 99), 1)}** / ${f(all[all.length - 1], 1)}`;
      }),
      row('GET /health idle after the drain p50 / p99 ms (the machine)', (r) => {
        const all = r.runs.flatMap((w) => w.idleHealth.latencies).sort((a, b) => a - b);
        return `${f(percentile(all, 50), 1)} / ${f(percentile(all, 99), 1)}`;
      }),
      row('/health requests (failed)', (r) => `${r.runs.reduce((n, w) => n + w.health.count, 0)} (${r.runs.reduce((n, w) => n + w.health.failures, 0)})`),
      row('event-loop delay p50 / p99 / max ms', (r) => `${f(mid(r, (w) => w.loop.p50), 1)} / ${f(mid(r, (w) => w.loop.p99), 1)} / ${f(Math.max(...r.runs.map((w) => w.loop.max)), 1)}`),
      row('worker RSS start / peak MB', (r) => `${(r.runs[0] as WorkerRun).rss[0]} / ${Math.max(...r.runs.flatMap((w) => w.rss))}`),
      row('CPU µs per message: main thread / worker threads / V8 helpers', (r) => {
        // Net of what the same /health calls cost an idle worker for as long as the drain lasted.
        const per = (pick: (c: ThreadCpu) => number) => f((mid(r, (w) => pick(w.cpu) - pick(w.idleCpuPerSecond) * w.drainSeconds) * 1000) / o.events, 1);
        return `**${per((c) => c.main)}** / ${per((c) => c.workers)} / ${per((c) => c.v8)}`;
      }),
      row('idle worker answering /health every 10 ms: main-thread CPU ms/s', (r) => f(mid(r, (w) => w.idleCpuPerSecond.main), 1)),
      row('drain seen by the bench s', (r) => f(mid(r, (w) => w.drainSeconds), 2)),
      row('ledger of run 1: results, dead letters, lost, duplicates', (r, i) => {
        const l = ledgers[i] as Awaited<ReturnType<typeof ledgerFromTopics>>;
        return `${l.results}, ${l.deadLetters}, ${l.lost.length}, ${l.duplicates.length}`;
      }),
      row('exit codes after SIGTERM', (r) => r.runs.map((w) => w.exitCode).join(', ')),
    ];
    if (o.profile) {
      lines.push(row('**main thread, profiled drain**: busy ms of window (µs/msg)', (r) => {
        const p = r.profile?.breakdown;
        return p ? `${f(p.busyMs)} of ${f(p.windowMs)} (${f((p.busyMs * 1000) / o.events, 1)})` : 'n/a';
      }));
      for (const category of CpuCategories) {
        lines.push(row(`&nbsp;&nbsp;${category} ms (% of busy)`, (r) => {
          const p = r.profile?.breakdown;
          const ms = p?.byCategory.get(category) ?? 0;
          return p ? `${f(ms)} (${f((100 * ms) / p.busyMs, 1)}%)` : 'n/a';
        }));
      }
      lines.push(row('other threads busy ms (pools, whole life)', (r) => f(r.profile?.otherThreadsMs)));
    }
    if (ourScorer !== undefined) lines.push('', `scorer alone, one thread: ours ${f(ourScorer)} texts/s${refScorer !== undefined ? `, reference Python ${f(refScorer)} (${f(ourScorer / refScorer, 1)}x)` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await broker.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
