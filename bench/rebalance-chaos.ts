/**
 * Rebalances under member deaths: 3 workers (child processes, VADER) on 6 partitions of one Kafka
 * 4.x broker, a steady input stream, and a member SIGKILLed every `--every-s` seconds for
 * `--chaos-s` seconds (round robin over the 3 slots), each restarted at once as a new process.
 * Per client and group protocol, printed side by side:
 *   - the longest stretch with no new result during the kills (two members are always alive),
 *   - each partition's longest stall (worst and median of the 6), and its longest stall while a live
 *     member owned it (ownership sampled from every live member's /health twice a second),
 *   - the recovery: from the last kill (the input stops there) until the group has committed every input,
 *   - the ledger: lost inputs (must be 0) and inputs with more than one outcome.
 *
 *   npm run bench:rebalance [-- --chaos-s 120 --every-s 8 --rate 200 --session-ms 30000 --variants a,b]
 *
 * Variants: kafkajs-classic, platformatic-classic, platformatic-kip848, platformatic-classic-static
 * (KAFKA_GROUP_INSTANCE_ID per slot: a restarted slot takes its place back). The KIP-848 session and
 * heartbeat are the broker's: set to the classic members' KAFKA_SESSION_TIMEOUT_MS and heartbeat.
 * Result times are the results' Kafka timestamps. Run it alone: `flock /tmp/bench.lock npm run bench:rebalance`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import {
  consumerGroupTimingProperties,
  createTopics,
  ledgerFromTopics,
  NEWEST_VERIFIED_KAFKA_VERSION,
  readTopicToEnd,
  spawnWorkerProcess,
  startKafkaBroker,
  uniqueName,
  workerTopicEnv,
  type WorkerProcess,
  type WorkerTopics,
} from '@sentiment/testing';
import { tweetEvalTestTexts } from './lib/bench-broker';
import { SteadyInput } from './lib/steady-input';

interface Variant {
  name: string;
  client: 'kafkajs' | 'platformatic';
  protocol: 'classic' | 'consumer';
  staticMembers: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'kafkajs-classic', client: 'kafkajs', protocol: 'classic', staticMembers: false },
  { name: 'platformatic-classic', client: 'platformatic', protocol: 'classic', staticMembers: false },
  { name: 'platformatic-kip848', client: 'platformatic', protocol: 'consumer', staticMembers: false },
  { name: 'platformatic-classic-static', client: 'platformatic', protocol: 'classic', staticMembers: true },
];

const PARTITIONS = 6;
const MEMBERS = 3;
const HEARTBEAT_MS = 3_000;

interface Options {
  chaosS: number;
  everyS: number;
  rate: number;
  sessionMs: number;
  variants: Variant[];
}

function parseOptions(argv: string[]): Options {
  const o: Options = { chaosS: 120, everyS: 8, rate: 200, sessionMs: 30_000, variants: [...VARIANTS] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--chaos-s') o.chaosS = Number(value());
    else if (a === '--every-s') o.everyS = Number(value());
    else if (a === '--rate') o.rate = Number(value());
    else if (a === '--session-ms') o.sessionMs = Number(value());
    else if (a === '--variants') {
      const names = value().split(',');
      o.variants = names.map((n) => {
        const v = VARIANTS.find((x) => x.name === n);
        if (!v) throw new Error(`unknown variant ${n}; known: ${VARIANTS.map((x) => x.name).join(', ')}`);
        return v;
      });
    } else throw new Error(`unknown option ${a}`);
  }
  for (const [name, n] of Object.entries({ chaosS: o.chaosS, everyS: o.everyS, rate: o.rate, sessionMs: o.sessionMs })) {
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  }
  return o;
}

/** The partitions of `topic` a worker holds, per its /health (undefined when it does not answer). */
async function share(worker: WorkerProcess, topic: string): Promise<number[] | undefined> {
  try {
    const report = (await (await fetch(`${worker.url}/health`, { signal: AbortSignal.timeout(2000) })).json()) as { kafka: { consumer: { assignment?: Record<string, number[]> } } };
    return report.kafka.consumer.assignment?.[topic] ?? [];
  } catch {
    return undefined;
  }
}

/** Waits until every input offset is committed by the group; the time it took, or undefined after `timeoutMs`. */
async function waitForCommitted(bootstrap: string, topics: WorkerTopics, timeoutMs: number): Promise<number | undefined> {
  const admin = new Kafka({ clientId: 'bench-rebalance', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const started = Date.now();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topics.input)).map((p) => [p.partition, Number(p.high)]));
    for (;;) {
      const [entry] = await admin.fetchOffsets({ groupId: topics.group, topics: [topics.input] });
      const committed = new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      if ([...ends].every(([p, end]) => (committed.get(p) ?? -1) >= end)) return Date.now() - started;
      if (Date.now() - started > timeoutMs) return undefined;
      await sleep(250);
    }
  } finally {
    await admin.disconnect();
  }
}

/** The longest stretch inside [from, to] without any of `times` (sorted or not). */
function longestGap(times: readonly number[], from: number, to: number): { ms: number; at: number } {
  const inside = times.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let worst = { ms: 0, at: from };
  let previous = from;
  for (const t of [...inside, to]) {
    if (t - previous > worst.ms) worst = { ms: t - previous, at: previous };
    previous = t;
  }
  return worst;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

interface VariantRun {
  variant: Variant;
  kills: number;
  warmupMs: number;
  longestGap: { ms: number; atS: number };
  partitionStallsMs: number[];
  /** Per partition, the longest stretch without a result while a live member's /health listed it. */
  ownedStallsMs: number[];
  producedDuringChaos: number;
  resultsDuringChaos: number;
  recoveryMs: number | undefined;
  ledger: { inputs: number; lost: number; duplicatedInputs: number; extraOutcomes: number };
  exitCodes: (number | null)[];
}

async function runVariant(bootstrap: string, variant: Variant, o: Options, texts: readonly string[]): Promise<VariantRun> {
  const topics: WorkerTopics = {
    input: uniqueName(`chaos.in.${variant.name}`),
    output: uniqueName(`chaos.out.${variant.name}`),
    dlq: uniqueName(`chaos.dlq.${variant.name}`),
    group: uniqueName(`chaos-${variant.name}`),
  };
  await createTopics(bootstrap, [
    { topic: topics.input, numPartitions: PARTITIONS },
    { topic: topics.output, numPartitions: PARTITIONS },
    { topic: topics.dlq, numPartitions: 1 },
  ]);
  const env = (slot: number, incarnation: number): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'],
    ...workerTopicEnv(bootstrap, topics),
    KAFKA_CLIENT: variant.client,
    KAFKA_GROUP_PROTOCOL: variant.protocol,
    KAFKA_SESSION_TIMEOUT_MS: String(o.sessionMs),
    KAFKA_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
    SCORER: 'vader',
    LOG_LEVEL: 'warn',
    INSTANCE_ID: `${variant.name}-slot${slot}-${incarnation}`,
    ...(variant.staticMembers ? { KAFKA_GROUP_INSTANCE_ID: `${variant.name}-slot${slot}` } : {}),
  });
  const spawn = (slot: number, incarnation: number) => spawnWorkerProcess({ env: env(slot, incarnation), output: 'capture', startTimeoutMs: 60_000 });
  const members: WorkerProcess[] = [];
  const incarnations = Array.from({ length: MEMBERS }, () => 0);
  const input = new SteadyInput(bootstrap, topics.input, texts, o.rate, variant.name);
  let inputStopped: { acked: number } | undefined;
  try {
    const warmupStarted = Date.now();
    for (let slot = 0; slot < MEMBERS; slot++) members.push(await spawn(slot, 0));
    for (;;) {
      const shares = await Promise.all(members.map((m) => share(m, topics.input)));
      const union = shares.flatMap((s) => s ?? []).sort((a, b) => a - b);
      if (shares.every((s) => s !== undefined && s.length > 0) && union.join() === Array.from({ length: PARTITIONS }, (_, p) => p).join()) break;
      if (Date.now() - warmupStarted > 180_000) throw new Error(`${variant.name}: the 3 members did not share the partitions within 180 s`);
      await sleep(250);
    }
    const warmupMs = Date.now() - warmupStarted;
    await sleep(5_000);

    const producedBefore = (await inputEndTotal(bootstrap, topics.input));
    const chaosStarted = Date.now();
    const owned = new OwnershipSampler(() => members, topics.input);
    let kills = 0;
    for (let k = 1; k * o.everyS <= o.chaosS; k++) {
      await sleep(Math.max(0, chaosStarted + k * o.everyS * 1000 - Date.now()));
      const slot = (k - 1) % MEMBERS;
      await (members[slot] as WorkerProcess).kill();
      kills++;
      incarnations[slot] = (incarnations[slot] as number) + 1;
      members[slot] = await spawn(slot, incarnations[slot] as number);
      process.stdout.write(`  ${variant.name}: kill ${kills} (slot ${slot}) at ${((Date.now() - chaosStarted) / 1000).toFixed(1)} s\n`);
    }
    const chaosEnded = Date.now();
    const ownership = await owned.stop();
    inputStopped = await input.stop();
    const producedDuringChaos = (await inputEndTotal(bootstrap, topics.input)) - producedBefore;
    const recoveryMs = await waitForCommitted(bootstrap, topics, 300_000);
    const exitCodes = await Promise.all(members.map((m) => m.stop()));

    const ledger = await ledgerFromTopics(bootstrap, topics, { timeoutMs: 180_000 });
    const results = await readTopicToEnd(bootstrap, topics.output, { timeoutMs: 180_000 });
    const times = results.map((m) => Number(m.timestamp));
    const byPartition = new Map<number, number[]>();
    for (const m of results) {
      const p = (JSON.parse(String(m.value)) as { source: { partition: number } }).source.partition;
      byPartition.set(p, [...(byPartition.get(p) ?? []), Number(m.timestamp)]);
    }
    const gap = longestGap(times, chaosStarted, chaosEnded);
    return {
      variant,
      kills,
      warmupMs,
      longestGap: { ms: gap.ms, atS: (gap.at - chaosStarted) / 1000 },
      partitionStallsMs: Array.from({ length: PARTITIONS }, (_, p) => longestGap(byPartition.get(p) ?? [], chaosStarted, chaosEnded).ms),
      ownedStallsMs: Array.from({ length: PARTITIONS }, (_, p) =>
        Math.max(0, ...(ownership.get(p) ?? []).map(([from, to]) => longestGap(byPartition.get(p) ?? [], from, to).ms)),
      ),
      producedDuringChaos,
      resultsDuringChaos: times.filter((t) => t >= chaosStarted && t <= chaosEnded).length,
      recoveryMs,
      ledger: {
        inputs: ledger.inputs,
        lost: ledger.lost.length,
        duplicatedInputs: ledger.duplicates.length,
        extraOutcomes: ledger.duplicates.reduce((n, d) => n + d.results + d.deadLetters - 1, 0),
      },
      exitCodes,
    };
  } finally {
    if (!inputStopped) await input.stop();
    await Promise.all(members.map((m) => m.kill().catch(() => undefined)));
  }
}

/**
 * Samples which partitions live members hold (their /health, every 500 ms) and keeps, per
 * partition, the stretches during which some live member held it in consecutive samples.
 */
class OwnershipSampler {
  private readonly runs = new Map<number, Array<[number, number]>>();
  private readonly open = new Map<number, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(members: () => readonly WorkerProcess[], topic: string) {
    this.loop = (async () => {
      while (this.running) {
        const at = Date.now();
        const shares = await Promise.all(members().map((m) => share(m, topic)));
        const held = new Set(shares.flatMap((s) => s ?? []));
        for (let p = 0; p < PARTITIONS; p++) {
          const since = this.open.get(p);
          if (held.has(p) && since === undefined) this.open.set(p, at);
          if (!held.has(p) && since !== undefined) this.close(p, since, at);
        }
        await sleep(Math.max(0, at + 500 - Date.now()));
      }
    })();
  }

  async stop(): Promise<Map<number, Array<[number, number]>>> {
    this.running = false;
    await this.loop;
    const now = Date.now();
    for (const [p, since] of this.open) this.close(p, since, now);
    this.open.clear();
    return this.runs;
  }

  private close(p: number, from: number, to: number): void {
    this.runs.set(p, [...(this.runs.get(p) ?? []), [from, to]]);
    this.open.delete(p);
  }
}

/** Sum of the input topic's end offsets. */
async function inputEndTotal(bootstrap: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'bench-rebalance-offsets', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

function table(runs: readonly VariantRun[], o: Options, version: string): string {
  const s = (ms: number | undefined) => (ms === undefined ? 'not within 300 s' : `${(ms / 1000).toFixed(1)} s`);
  const row = (measure: string, cell: (r: VariantRun) => string) => `| ${measure} | ${runs.map(cell).join(' | ')} |`;
  return [
    `Kafka ${version}, ${MEMBERS} workers on ${PARTITIONS} partitions, ${o.rate} events/s, a SIGKILL every ${o.everyS} s for ${o.chaosS} s (each restarted at once), session ${o.sessionMs / 1000} s, heartbeat ${HEARTBEAT_MS / 1000} s`,
    '',
    `| measure | ${runs.map((r) => r.variant.name).join(' | ')} |`,
    `|---|${runs.map(() => '---').join('|')}|`,
    row('longest stretch with no new result during the kills', (r) => `**${s(r.longestGap.ms)}** (from ${r.longestGap.atS.toFixed(0)} s)`),
    row("a partition's longest stall: worst / median of 6", (r) => `${s(Math.max(...r.partitionStallsMs))} / ${s(median(r.partitionStallsMs))}`),
    row("a partition's longest stall while a live member held it: worst / median", (r) => `**${s(Math.max(...r.ownedStallsMs))}** / ${s(median(r.ownedStallsMs))}`),
    row('results during the kills / events produced then', (r) => `${r.resultsDuringChaos.toLocaleString('en-US')} / ${r.producedDuringChaos.toLocaleString('en-US')} (${((100 * r.resultsDuringChaos) / Math.max(1, r.producedDuringChaos)).toFixed(0)}%)`),
    row('recovery: last kill to every input committed', (r) => s(r.recoveryMs)),
    row('ledger: inputs, lost, inputs with 2+ outcomes (extra outcomes)', (r) => `${r.ledger.inputs.toLocaleString('en-US')}, **${r.ledger.lost} lost**, ${r.ledger.duplicatedInputs.toLocaleString('en-US')} (${r.ledger.extraOutcomes.toLocaleString('en-US')})`),
    row('kills; warm-up until 3 members shared the partitions', (r) => `${r.kills}; ${s(r.warmupMs)}`),
    row('exit codes of the last members after SIGTERM', (r) => r.exitCodes.join(', ')),
  ].join('\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const texts = tweetEvalTestTexts();
  process.stdout.write(`starting Kafka ${NEWEST_VERIFIED_KAFKA_VERSION}...\n`);
  const broker = await startKafkaBroker({
    version: NEWEST_VERIFIED_KAFKA_VERSION,
    fastStart: false,
    properties: consumerGroupTimingProperties({ sessionTimeoutMs: o.sessionMs, heartbeatIntervalMs: HEARTBEAT_MS }),
  });
  try {
    const runs: VariantRun[] = [];
    for (const variant of o.variants) {
      process.stdout.write(`${variant.name}: warming up, then ${o.chaosS} s of kills...\n`);
      const run = await runVariant(broker.bootstrap, variant, o, texts);
      process.stdout.write(`${JSON.stringify(run)}\n`);
      runs.push(run);
    }
    process.stdout.write(`\n${table(runs, o, broker.version)}\n`);
  } finally {
    await broker.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
