import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020';
import { sentimentResultSchema, type SentimentResult } from '@sentiment/events';
import { registerKafkajsCompressionCodecs } from '@sentiment/kafka';
import {
  consoleConsumerClass,
  consoleConsumerPropertyFlag,
  consoleProducerClass,
  createTopics,
  deleteTopics,
  kafkaClientsUnderTest,
  kafkaVersionFromEnv,
  type KafkaClientUnderTest,
  readTopicToEnd,
  runKafkaJavaTool,
  testBootstrap,
  testKafkaVersion,
  uniqueName,
  runKcat,
} from '@sentiment/testing';
import { startTestWorker, waitFor, waitForReady, workerEnv } from '../helpers/worker-harness';
import { foreignEvents, javaLines, kcatLines, traceparentFor, TRACESTATE, type ForeignEvent } from './foreign-events';

// What real producers send, through the worker, to what real consumers read:
//   kcat (librdkafka) and Kafka's Java console producer write events compressed with each codec,
//   keyed by call_id, with trace headers -> one input topic -> one worker per output codec (each
//   its own group and output topic, OUTPUT_COMPRESSION=<codec>) -> kcat and the Java console
//   consumer read every result back, and every line must be a valid sentiment result.

const INPUT_CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const OUTPUT_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
type OutputCodec = (typeof OUTPUT_CODECS)[number];
const EVENTS_PER_RUN = 6;
const TAB = '\t';

// This file reads the foreign producers' snappy, lz4 and zstd batches with the harness' kafkajs reader.
registerKafkajsCompressionCodecs();

const bootstrap = testBootstrap();
const javaVersion = testKafkaVersion() === 'external' ? kafkaVersionFromEnv() : testKafkaVersion();
const validateResult = new Ajv2020({ strict: false }).compile(sentimentResultSchema);

const inputTopic = uniqueName('foreign-in');
const clients = kafkaClientsUnderTest();
const perCodec = (client: string, kind: string) => Object.fromEntries(OUTPUT_CODECS.map((c) => [c, uniqueName(`foreign-${kind}-${client}-${c}`)])) as Record<OutputCodec, string>;
const outputTopic = Object.fromEntries(clients.map((client) => [client, perCodec(client, 'out')])) as Record<KafkaClientUnderTest, Record<OutputCodec, string>>;
const dlqTopic = Object.fromEntries(clients.map((client) => [client, perCodec(client, 'dlq')])) as Record<KafkaClientUnderTest, Record<OutputCodec, string>>;

// kcat's -H applies to a whole run: every kcat event carries its run's traceparent.
const fromKcat = INPUT_CODECS.flatMap((codec) =>
  foreignEvents('kcat', codec, EVENTS_PER_RUN).map((e) => ({ ...e, traceparent: traceparentFor('kcat', codec) })),
);
// The Java console producer parses headers per line: every other event is traced.
const fromJava = INPUT_CODECS.flatMap((codec) =>
  foreignEvents('java', codec, EVENTS_PER_RUN).map((e, i): ForeignEvent => (i % 2 === 0 ? { ...e, traceparent: traceparentFor('java', codec, i) } : e)),
);
const allEvents = new Map([...fromKcat, ...fromJava].map((e) => [e.callId, e]));

async function produceWithKcat(codec: string): Promise<void> {
  const events = fromKcat.filter((e) => e.callId.startsWith(`kcat-${codec}-`));
  await runKcat(
    [
      '-P', '-b', bootstrap, '-t', inputTopic, '-z', codec, '-K', TAB,
      '-H', `traceparent=${traceparentFor('kcat', codec)}`, '-H', `tracestate=${TRACESTATE}`,
      // stdin arrives at once; linger lets librdkafka put the lines into few compressed batches.
      '-X', 'linger.ms=100', '-X', 'acks=all',
    ],
    kcatLines(events),
  );
}

async function produceWithJava(codec: string): Promise<void> {
  const events = fromJava.filter((e) => e.callId.startsWith(`java-${codec}-`));
  await runKafkaJavaTool(
    javaVersion,
    consoleProducerClass(javaVersion),
    [
      '--bootstrap-server', bootstrap,
      '--topic', inputTopic,
      '--compression-codec', codec,
      '--property', 'parse.key=true',
      '--property', `key.separator=${TAB}`,
      // Kafka 3.2+ (KIP-798): `name:value,name:value<TAB>` before the key.
      '--property', 'parse.headers=true',
      '--producer-property', 'acks=all',
      '--producer-property', 'linger.ms=100',
    ],
    { stdin: javaLines(events), timeoutMs: 90_000 },
  );
}

interface PrintedResult {
  key: string;
  headers: string;
  value: string;
}

/** Checks one consumed result line against the contract; returns its parsed value. */
function expectValidResult(line: PrintedResult): SentimentResult {
  const result = JSON.parse(line.value) as SentimentResult;
  expect({ call_id: result.call_id, valid: validateResult(result), errors: validateResult.errors ?? null }).toEqual({
    call_id: result.call_id,
    valid: true,
    errors: null,
  });
  expect(line.key).toBe(result.call_id);
  const input = allEvents.get(result.call_id);
  expect(input).toBeDefined();
  if (input?.traceparent) {
    expect(result.trace?.traceparent).toBe(input.traceparent);
    expect(line.headers).toContain(input.traceparent);
  } else {
    expect(result.trace).toBeUndefined();
    expect(line.headers).not.toContain('traceparent');
  }
  return result;
}

beforeAll(async () => {
  await createTopics(bootstrap, [
    // Keep whatever codec the producer chose (spelled out so a broker default cannot hide the test).
    { topic: inputTopic, numPartitions: 3, configs: { 'compression.type': 'producer' } },
    ...clients.flatMap((client) => OUTPUT_CODECS.map((c) => ({ topic: outputTopic[client][c], numPartitions: 2, configs: { 'compression.type': 'producer' } }))),
    ...clients.flatMap((client) => OUTPUT_CODECS.map((c) => ({ topic: dlqTopic[client][c] }))),
  ]);
  await Promise.all(INPUT_CODECS.map(produceWithKcat));
  // Two JVMs at a time: the machine has two cores.
  await Promise.all([produceWithJava('gzip'), produceWithJava('snappy')]);
  await Promise.all([produceWithJava('lz4'), produceWithJava('zstd')]);

  // One worker per output codec, one client at a time (five processes on two cores is plenty).
  for (const client of clients) {
    const workers = await Promise.all(
      OUTPUT_CODECS.map((codec) =>
        startTestWorker(
          workerEnv(bootstrap, { input: inputTopic, output: outputTopic[client][codec], dlq: dlqTopic[client][codec], group: uniqueName(`foreign-${client}-${codec}`) }, {
            KAFKA_CLIENT: client,
            OUTPUT_COMPRESSION: codec,
          }),
        ),
      ),
    );
    try {
      await Promise.all(workers.map((w) => waitForReady(w.url)));
      for (const codec of OUTPUT_CODECS) {
        await waitFor(`${allEvents.size} results in ${outputTopic[client][codec]}`, async () => {
          const [results, dead] = await Promise.all([readTopicToEnd(bootstrap, outputTopic[client][codec]), readTopicToEnd(bootstrap, dlqTopic[client][codec])]);
          if (dead.length > 0) throw new Error(`unexpected dead letters: ${dead.map((d) => String(d.value)).join('\n')}`);
          return results.length >= allEvents.size ? true : undefined;
        }, 120_000, 1000);
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop('results are out')));
    }
  }
}, 600_000);

afterAll(async () => {
  await deleteTopics(bootstrap, [inputTopic, ...Object.values(outputTopic).flatMap(Object.values), ...Object.values(dlqTopic).flatMap(Object.values)]).catch(() => undefined);
});

describe.each(clients)('foreign producers -> worker (%s client) -> foreign consumers', (client) => {
  it('when kcat and the Java console producer write compressed, keyed, traced events, then every worker produced exactly one result per event', async () => {
    const input = await readTopicToEnd(bootstrap, inputTopic);
    expect(input).toHaveLength(allEvents.size);
    for (const codec of OUTPUT_CODECS) {
      const results = await readTopicToEnd(bootstrap, outputTopic[client][codec]);
      expect(results.map((m) => String(m.key)).sort()).toEqual([...allEvents.keys()].sort());
    }
  });

  it.each(OUTPUT_CODECS)('when the worker produced with OUTPUT_COMPRESSION=%s, then kcat reads every result as a valid, keyed, traced sentiment result', async (codec) => {
    // %h prints headers as name=value pairs separated by commas; result values are one-line JSON.
    const { stdout: out } = await runKcat(['-C', '-b', bootstrap, '-t', outputTopic[client][codec], '-o', 'beginning', '-e', '-q', '-f', `%k${TAB}%h${TAB}%s\\n`]);
    const lines = out.toString('utf8').split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(allEvents.size);
    const ids = lines.map((l) => {
      const [key = '', headers = '', value = ''] = l.split(TAB);
      return expectValidResult({ key, headers, value }).call_id;
    });
    expect(ids.sort()).toEqual([...allEvents.keys()].sort());
  });

  it('when the Java console consumer reads the results of every output codec, then each line is a valid, keyed, traced sentiment result', async () => {
    const expectedLines = allEvents.size * OUTPUT_CODECS.length;
    const { stdout } = await runKafkaJavaTool(
      javaVersion,
      consoleConsumerClass(javaVersion),
      [
        '--bootstrap-server', bootstrap,
        '--include', OUTPUT_CODECS.map((c) => outputTopic[client][c].replace(/[.]/g, '\\.')).join('|'),
        '--group', uniqueName('foreign-java-reader'),
        '--from-beginning',
        '--max-messages', String(expectedLines),
        '--timeout-ms', '30000',
        consoleConsumerPropertyFlag(javaVersion), 'print.headers=true',
        consoleConsumerPropertyFlag(javaVersion), 'print.key=true',
        consoleConsumerPropertyFlag(javaVersion), `key.separator=${TAB}`,
      ],
      { timeoutMs: 120_000 },
    );
    const lines = stdout.toString('utf8').split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(expectedLines);
    const seen = new Map<string, number>();
    for (const line of lines) {
      // print.headers puts the headers first: headers<TAB>key<TAB>value.
      const [headers = '', key = '', value = ''] = line.split(TAB);
      const { call_id } = expectValidResult({ key, headers, value });
      seen.set(call_id, (seen.get(call_id) ?? 0) + 1);
    }
    // Each event once per output topic, i.e. per output codec.
    expect([...seen.values()].every((n) => n === OUTPUT_CODECS.length)).toBe(true);
    expect(seen.size).toBe(allEvents.size);
  });
});
