import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  consoleConsumerClass,
  consoleConsumerPropertyFlag,
  consoleProducerClass,
  createTopics,
  deleteTopics,
  kafkaVersionFromEnv,
  readTopicToEnd,
  runKafkaJavaTool,
  testBootstrap,
  testKafka,
  testKafkaVersion,
  uniqueName,
  eachTable,
  runKcat,
} from '@sentiment/testing';
import { kafkajsCompression } from '../../../src/kafkajs/codecs/kafkajs-compression-types';
import { parseCompressionName } from '../../../src/shared/compression-name';
import { registerCompressionCodecs } from '../../../src/kafkajs/codecs/register-compression-codecs';
import { LARGE_MESSAGE_MIN_BYTES, asMap, fromKeyedLines, interopMessages, toKeyedLines, type InteropMessage } from './interop-messages';

// Interop with other Kafka clients through a real broker, per codec:
//  - kcat (librdkafka) and Kafka's Java console producer write compressed batches that a plain
//    kafkajs consumer must read intact once registerCompressionCodecs() has run (and cannot before);
//  - kafkajs writes with each codec and kcat and the Java console consumer read the messages back.
// The broker itself decompresses every produced batch to validate it, so a malformed frame from
// our side would already fail the kafkajs produce.

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];
const NOT_BUILT_IN = [
  ['snappy', 'Snappy compression not implemented'],
  ['lz4', 'LZ4 compression not implemented'],
  ['zstd', 'ZSTD compression not implemented'],
] as const;

const bootstrap = testBootstrap();
const javaVersion = testKafkaVersion() === 'external' ? kafkaVersionFromEnv() : testKafkaVersion();
const TAB = '\t';
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const foreignTopic = Object.fromEntries(CODECS.map((c) => [c, uniqueName(`codecs-foreign-${c}`)])) as Record<Codec, string>;
const kafkajsTopic = Object.fromEntries(CODECS.map((c) => [c, uniqueName(`codecs-kafkajs-${c}`)])) as Record<Codec, string>;
const fromKcat = Object.fromEntries(CODECS.map((c) => [c, interopMessages('kcat', c)])) as Record<Codec, InteropMessage[]>;
const fromJava = Object.fromEntries(CODECS.map((c) => [c, interopMessages('java', c)])) as Record<Codec, InteropMessage[]>;
const fromKafkajs = Object.fromEntries(CODECS.map((c) => [c, interopMessages('kafkajs', c)])) as Record<Codec, InteropMessage[]>;

async function produceWithKcat(codec: Codec): Promise<void> {
  // linger.ms: stdin arrives at once; give librdkafka time to put many lines into one batch.
  await runKcat(
    ['-P', '-b', bootstrap, '-t', foreignTopic[codec], '-z', codec, '-K', TAB, '-X', 'linger.ms=200', '-X', 'acks=all', '-X', `message.max.bytes=${MAX_REQUEST_BYTES}`],
    toKeyedLines(fromKcat[codec]),
  );
}

async function produceWithJava(codec: Codec): Promise<void> {
  await runKafkaJavaTool(
    javaVersion,
    consoleProducerClass(javaVersion),
    [
      '--bootstrap-server', bootstrap,
      '--topic', foreignTopic[codec],
      '--compression-codec', codec,
      '--property', 'parse.key=true',
      '--property', `key.separator=${TAB}`,
      '--producer-property', 'acks=all',
      // The Java producer checks the uncompressed record size against this (default 1 MiB).
      '--producer-property', `max.request.size=${MAX_REQUEST_BYTES}`,
    ],
    { stdin: toKeyedLines(fromJava[codec]), timeoutMs: 90_000 },
  );
}

async function readWithKafkajs(topic: string, timeoutMs = 60_000): Promise<Map<string, string>> {
  const messages = await readTopicToEnd(bootstrap, topic, { timeoutMs });
  return new Map(messages.map((m) => [m.key?.toString('utf8') ?? '', m.value?.toString('utf8') ?? '']));
}

beforeAll(async () => {
  const large = fromJava.zstd.find((m) => m.key.endsWith('-large'));
  expect(Buffer.byteLength(large?.value ?? '')).toBeGreaterThan(LARGE_MESSAGE_MIN_BYTES);
  await createTopics(
    bootstrap,
    [...Object.values(foreignTopic), ...Object.values(kafkajsTopic)].map((topic) => ({
      topic,
      // Keep whatever codec the producer chose (the default, spelled out so a broker default cannot hide the test).
      configs: { 'compression.type': 'producer' },
    })),
  );
  await Promise.all(CODECS.map(produceWithKcat));
  // Two JVMs at a time: the machine has two cores.
  await Promise.all([produceWithJava('gzip'), produceWithJava('snappy')]);
  await Promise.all([produceWithJava('lz4'), produceWithJava('zstd')]);
}, 240_000);

afterAll(async () => {
  await deleteTopics(bootstrap, [...Object.values(foreignTopic), ...Object.values(kafkajsTopic)]).catch(() => undefined);
});

// Runs first (jest keeps declaration order): kafkajs still has only gzip here.
describe('before registerCompressionCodecs()', () => {
  it.each(eachTable(NOT_BUILT_IN))(
    'when a kafkajs 2.2.4 consumer meets %s batches from kcat and Java, then it crashes with "%s"',
    async (codec, message) => {
      await expect(readWithKafkajs(foreignTopic[codec], 30_000)).rejects.toThrow(message);
    },
  );
});

describe('after registerCompressionCodecs()', () => {
  beforeAll(() => {
    registerCompressionCodecs();
  });

  it.each(CODECS)('when kcat and the Java console producer write %s batches, then a kafkajs consumer reads every message intact', async (codec) => {
    const received = await readWithKafkajs(foreignTopic[codec]);
    expect(received).toEqual(asMap([...fromKcat[codec], ...fromJava[codec]]));
  });

  describe('when kafkajs produces with each codec', () => {
    beforeAll(async () => {
      const producer = testKafka(bootstrap).producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        for (const codec of CODECS) {
          // One send of many messages: kafkajs puts them all into one compressed record batch.
          await producer.send({
            topic: kafkajsTopic[codec],
            acks: -1,
            compression: kafkajsCompression(parseCompressionName(codec)),
            messages: fromKafkajs[codec].map((m) => ({ key: m.key, value: m.value })),
          });
        }
      } finally {
        await producer.disconnect();
      }
    }, 60_000);

    it.each(CODECS)('then kcat reads every %s message back intact', async (codec) => {
      const { stdout } = await runKcat(['-C', '-b', bootstrap, '-t', kafkajsTopic[codec], '-o', 'beginning', '-e', '-q', '-f', `%k${TAB}%s\\n`]);
      expect(fromKeyedLines(stdout)).toEqual(asMap(fromKafkajs[codec]));
    });

    it('then the Java console consumer reads every message of every codec back intact', async () => {
      const expected = asMap(CODECS.flatMap((c) => fromKafkajs[c]));
      const { stdout } = await runKafkaJavaTool(
        javaVersion,
        consoleConsumerClass(javaVersion),
        [
          '--bootstrap-server', bootstrap,
          '--include', CODECS.map((c) => kafkajsTopic[c].replace(/[.]/g, '\\.')).join('|'),
          '--group', uniqueName('codecs-java-reader'),
          '--from-beginning',
          '--max-messages', String(expected.size),
          '--timeout-ms', '30000',
          consoleConsumerPropertyFlag(javaVersion), 'print.key=true',
          consoleConsumerPropertyFlag(javaVersion), `key.separator=${TAB}`,
        ],
        { timeoutMs: 90_000 },
      );
      expect(fromKeyedLines(stdout)).toEqual(expected);
    });
  });
});
