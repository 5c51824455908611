/**
 * What exactly-once costs: the same events through the worker (child process, VADER) once in
 * at-least-once mode and once in exactly-once mode (transactional producer, offsets committed
 * in the transaction, one batch in flight), on one local broker. Prints msg/s side by side.
 *
 *   npm run bench:eos [-- --events N (20000) --partitions N (6) --rounds N (1) --fetch-bytes N]
 *
 * With `--fetch-bytes N` batches hold about N bytes of input (the input is written in record batches
 * of that size and KAFKA_MAX_BYTES_PER_PARTITION=N): many small transactions, the worst case.
 *
 * Rate = results / (last result timestamp - first result timestamp), as in bench/worker-throughput.ts.
 * The drain is over when the group's committed offsets reach the input's end offsets.
 */
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, freePorts, ledgerFromTopics, produceRaw } from '@sentiment/testing';
import { fillEvents, startBenchBroker, tweetEvalTestTexts } from './lib/bench-broker';
import { resultRate, type RateReport } from './lib/result-rate';
import { startWorkerProcess } from './lib/worker-process';

type Mode = 'at-least-once' | 'exactly-once';

interface Options {
  events: number;
  partitions: number;
  rounds: number;
  /** Small batches: KAFKA_MAX_BYTES_PER_PARTITION and the input's record batches about this size (0 = defaults). */
  fetchBytes: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { events: 20000, partitions: 6, rounds: 1, fetchBytes: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') o.events = Number(argv[++i]);
    else if (a === '--partitions') o.partitions = Number(argv[++i]);
    else if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--fetch-bytes') o.fetchBytes = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Waits until `group` has committed every input offset (sum of committed = sum of end offsets). */
async function waitForDrain(bootstrap: string, group: string, topic: string, timeoutMs: number): Promise<number> {
  const admin = new Kafka({ clientId: 'bench-drain', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const t0 = Date.now();
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
    for (;;) {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committed = (entry?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
      if (committed >= ends) return (Date.now() - t0) / 1000;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out: ${group} committed ${committed}/${ends}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

interface RunReport {
  mode: Mode;
  rate: RateReport;
  drainSeconds: number;
  lost: number;
  duplicates: number;
}

async function runMode(bootstrap: string, mode: Mode, round: number, o: Options): Promise<RunReport> {
  const suffix = `${mode === 'exactly-once' ? 'eos' : 'alo'}-${round}`;
  const topics = { input: 'calls.transcribed', output: `calls.sentiment.${suffix}`, dlq: `calls.dlq.${suffix}` };
  await createTopics(bootstrap, [
    { topic: topics.output, numPartitions: o.partitions },
    { topic: topics.dlq, numPartitions: 1 },
  ]);
  const group = `bench-${suffix}`;
  const [port] = await freePorts(1);
  process.stdout.write(`running the worker (${mode}, round ${round})...\n`);
  const worker = await startWorkerProcess(
    {
      KAFKA_BROKERS: bootstrap,
      SCORER: 'vader',
      KAFKA_GROUP_ID: group,
      INPUT_TOPIC: topics.input,
      OUTPUT_TOPIC: topics.output,
      DLQ_TOPIC: topics.dlq,
      PROCESSING_MODE: mode,
      INSTANCE_ID: `bench-${suffix}`,
      ...(o.fetchBytes > 0 ? { KAFKA_MAX_BYTES_PER_PARTITION: String(o.fetchBytes) } : {}),
    },
    port as number,
  );
  let drainSeconds: number;
  try {
    drainSeconds = await waitForDrain(bootstrap, group, topics.input, 15 * 60 * 1000);
  } finally {
    await worker.stop();
  }
  const rate = await resultRate(bootstrap, topics.output);
  const ledger = await ledgerFromTopics(bootstrap, topics);
  return { mode, rate, drainSeconds, lost: ledger.lost.length, duplicates: ledger.duplicates.length };
}

/** The broker returns at least one whole record batch per fetch: small batches need small produce requests. */
async function fillSmallBatches(bootstrap: string, o: Options, texts: string[]): Promise<void> {
  await createTopics(bootstrap, [{ topic: 'calls.transcribed', numPartitions: o.partitions }]);
  const messages = Array.from({ length: o.events }, (_, i) => {
    const call_id = `bench-${i}`;
    return { key: call_id, value: JSON.stringify({ call_id, text: texts[i % texts.length] }) };
  });
  await produceRaw(bootstrap, 'calls.transcribed', messages, { maxRequestBytes: o.fetchBytes * o.partitions });
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const broker = await startBenchBroker();
  try {
    const bootstrap = broker.bootstrap;
    process.stdout.write(`filling ${o.events} TweetEval test tweets into calls.transcribed (${o.partitions} partitions)...\n`);
    if (o.fetchBytes > 0) await fillSmallBatches(bootstrap, o, tweetEvalTestTexts());
    else await fillEvents(bootstrap, 'calls.transcribed', o.partitions, tweetEvalTestTexts(), o.events);
    const reports: RunReport[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      // Alternate the order so neither mode always gets the warmer broker.
      const order: Mode[] = round % 2 === 1 ? ['at-least-once', 'exactly-once'] : ['exactly-once', 'at-least-once'];
      for (const mode of order) reports.push(await runMode(bootstrap, mode, round, o));
    }
    const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const best = (mode: Mode) => Math.max(...reports.filter((r) => r.mode === mode).map((r) => r.rate.perSecond));
    const lines = [
      '',
      `${f(o.events)} events on ${o.partitions} partitions, Kafka ${broker.version}, SCORER=vader` +
        (o.fetchBytes > 0 ? `, batches of ~${f(o.fetchBytes)} bytes of input` : ', default fetch sizes'),
      '',
      '| mode | round | msg/s | results | drain (s) | lost | duplicates |',
      '|---|---|---|---|---|---|---|',
      ...reports.map(
        (r, i) =>
          `| ${r.mode} | ${Math.floor(i / 2) + 1} | ${f(r.rate.perSecond)} | ${r.rate.results} | ${f(r.drainSeconds, 1)} | ${r.lost} | ${r.duplicates} |`,
      ),
      '',
      `best at-least-once ${f(best('at-least-once'))} msg/s, best exactly-once ${f(best('exactly-once'))} msg/s, ` +
        `exactly-once / at-least-once = ${f(best('exactly-once') / best('at-least-once'), 2)}x`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    // destroy, not stop: the data directory of a long run is large.
    await broker.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
