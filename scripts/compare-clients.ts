/**
 * `npm run compare:clients -- [--brokers host:port] [--kip848]`: runs `npm start`'s entry point
 * (node dist/services/sentiment-worker/src/main.js) on kafkajs, then on @platformatic/kafka
 * (classic group protocol, and with --kip848 also KAFKA_GROUP_PROTOCOL=consumer, for Kafka 4.x),
 * each over the same input against a running broker (`npm run kafka:start`, or any Kafka 4.x with
 * --kip848), and compares what each produced with the kafkajs run: every result, dead letter and
 * header per input offset (without processing times and the instance), and every counter of /metrics.
 * Exits 1 when a run differs or loses an input.
 *
 * Input: samples/calls.jsonl (some with a traceparent and another header), samples/malformed.jsonl,
 * a value that is not UTF-8 and an empty one, on a fresh 3-partition topic; each run gets its own
 * output and dead-letter topics and consumer group.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  counterSeries,
  createTopics,
  differingOutcomes,
  ledgerFromTopics,
  outcomeDigests,
  produceRaw,
  readTopicToEnd,
  spawnWorkerProcess,
  uniqueName,
  type RawMessage,
} from '@sentiment/testing';
import { repoRoot } from './lib/repo-files';

interface Run {
  name: string;
  env: Record<string, string>;
}

function parseArgs(argv: string[]): { brokers: string; kip848: boolean } {
  const out = { brokers: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092', kip848: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--brokers') out.brokers = argv[++i] ?? out.brokers;
    else if (a === '--kip848') out.kip848 = true;
    else throw new Error(`unknown option ${a} (--brokers host:port, --kip848)`);
  }
  return out;
}

function inputEvents(): RawMessage[] {
  const lines = (file: string) =>
    readFileSync(path.join(repoRoot, 'samples', file), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
  return [
    ...lines('calls.jsonl').map((line, i) => ({
      key: (JSON.parse(line) as { call_id: string }).call_id,
      value: line,
      ...(i % 2 === 0 ? { headers: { traceparent: `00-${(0x4bf92f3577b34da6n + BigInt(i)).toString(16).padStart(32, '0')}-00f067aa0ba902b7-01`, 'x-tenant': 'acme' } } : {}),
    })),
    ...lines('malformed.jsonl').map((line, i) => ({ key: `bad-${i}`, value: line })),
    { key: 'invalid-utf8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { key: 'empty', value: null },
  ];
}

async function waitForOutcomes(brokers: string, topics: { output: string; dlq: string }, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [r, d] = await Promise.all([readTopicToEnd(brokers, topics.output), readTopicToEnd(brokers, topics.dlq)]);
    if (r.length + d.length >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${r.length + d.length} of ${count} outcomes after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const input = uniqueName('compare.calls.transcribed');
  await createTopics(args.brokers, [{ topic: input, numPartitions: 3 }]);
  const events = inputEvents();
  await produceRaw(args.brokers, input, events);
  const runs: Run[] = [
    { name: 'kafkajs', env: { KAFKA_CLIENT: 'kafkajs' } },
    { name: 'platformatic (classic)', env: { KAFKA_CLIENT: 'platformatic', KAFKA_GROUP_PROTOCOL: 'classic' } },
    ...(args.kip848 ? [{ name: 'platformatic (KIP-848)', env: { KAFKA_CLIENT: 'platformatic', KAFKA_GROUP_PROTOCOL: 'consumer' } }] : []),
  ];
  const seen = [];
  for (const run of runs) {
    const slug = run.name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');
    const topics = { input, output: uniqueName(`compare.out.${slug}`), dlq: uniqueName(`compare.dlq.${slug}`) };
    await createTopics(args.brokers, [{ topic: topics.output, numPartitions: 3 }, { topic: topics.dlq, numPartitions: 1 }]);
    process.stdout.write(`${run.name}: npm start's entry point on ${args.brokers}...\n`);
    const worker = await spawnWorkerProcess({
      env: {
        PATH: process.env['PATH'],
        KAFKA_BROKERS: args.brokers,
        INPUT_TOPIC: topics.input,
        OUTPUT_TOPIC: topics.output,
        DLQ_TOPIC: topics.dlq,
        KAFKA_GROUP_ID: uniqueName(`compare-${slug}`),
        SCORER: 'vader',
        LOG_LEVEL: 'warn',
        ...run.env,
      },
      startTimeoutMs: 60_000,
    });
    await waitForOutcomes(args.brokers, topics, events.length);
    const counters = counterSeries(await (await fetch(`${worker.url}/metrics`)).text(), 'sentiment_');
    const exitCode = await worker.stop();
    const [results, deadLetters] = await Promise.all([readTopicToEnd(args.brokers, topics.output), readTopicToEnd(args.brokers, topics.dlq)]);
    const ledger = await ledgerFromTopics(args.brokers, topics);
    seen.push({ run, digests: outcomeDigests(results, deadLetters), counters, exitCode, ledger, headers: new Set(results.flatMap((m) => Object.keys(m.headers))) });
  }
  const [reference] = seen;
  if (!reference) return;
  let failed = false;
  process.stdout.write(`\n${events.length} events (${input})\n\n| run | results | dead letters | lost | duplicates | result headers | outcomes differing from kafkajs | counters differing | exit code |\n|---|---|---|---|---|---|---|---|---|\n`);
  for (const s of seen) {
    const differing = differingOutcomes(reference.digests, s.digests);
    const counterDiffs = [...new Set([...Object.keys(reference.counters), ...Object.keys(s.counters)])].filter((k) => reference.counters[k] !== s.counters[k]);
    if (differing.length > 0 || counterDiffs.length > 0 || !s.ledger.ok || s.exitCode !== 0) failed = true;
    process.stdout.write(
      `| ${s.run.name} | ${s.ledger.results} | ${s.ledger.deadLetters} | ${s.ledger.lost.length} | ${s.ledger.duplicates.length} | ${[...s.headers].sort().join(', ') || '–'} | ${differing.length} | ${counterDiffs.length} | ${s.exitCode} |\n`,
    );
    for (const d of differing.slice(0, 3)) process.stdout.write(`  differs at ${d.source}: kafkajs ${JSON.stringify(d.a)}\n  ${s.run.name} ${JSON.stringify(d.b)}\n`);
    for (const k of counterDiffs) process.stdout.write(`  counter ${k}: kafkajs ${reference.counters[k]}, ${s.run.name} ${s.counters[k]}\n`);
  }
  const sample = [...reference.digests.values()].flat().find((d) => d.kind === 'deadLetter');
  if (sample) process.stdout.write(`\ndead-letter headers (kafkajs): ${Object.keys(sample.headers).join(', ')}\n`);
  process.stdout.write(`counters compared: ${Object.keys(reference.counters).length}\n`);
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
