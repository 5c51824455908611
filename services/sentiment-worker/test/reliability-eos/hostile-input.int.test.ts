import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeadLetterHeaders, type DeadLetterReason } from '@sentiment/events';
import {
  createTopics,
  describeLedgerReport,
  headerText,
  ledgerFromTopics,
  produceRaw,
  readTopicToEnd,
  testBootstrap,
  uniqueName,
  type ReadMessage,
  kafkaClientsUnderTest,
} from '@sentiment/testing';
import { waitFor, waitForOutcomes, workerEnv, type TestTopics } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

/** 10 MiB of text: over MAX_MESSAGE_BYTES, KAFKA_MAX_BYTES_PER_PARTITION and the 10 MiB fetch maxBytes alike. */
const HUGE_TEXT_CHARS = 10 * 1024 * 1024;
const DLQ_MAX_VALUE_BYTES = 900_000;

/** A result is keyed by the event's call_id; a dead letter keeps the input key (the case name). */
type Expected = { result: string } | { reason: DeadLetterReason };

interface HostileCase {
  name: string;
  value: Buffer | string | null;
  expected: Expected;
  /** Extra check on the result's JSON text. */
  resultText?: RegExp;
}

const json = (v: unknown) => JSON.stringify(v);
const nested = (depth: number) => `{"call_id":"deep","text":"hi","metadata":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

/**
 * The corpus, and what each case must become. Documented in docs/reliability.md ("Hostile input").
 * Every case is keyed by its name, and dead letters keep the input key.
 */
const corpus: HostileCase[] = [
  { name: 'not-json', value: 'hello, I am not JSON', expected: { reason: 'INVALID_JSON' } },
  { name: 'truncated-json', value: '{"call_id":"c1","text":"I was cut of', expected: { reason: 'INVALID_JSON' } },
  { name: 'json-null', value: 'null', expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'json-array', value: '[{"call_id":"c1","text":"hi"}]', expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'json-string', value: '"just a string"', expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'call-id-number', value: json({ call_id: 42, text: 'hello' }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'text-number', value: json({ call_id: 'c2', text: 42 }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'segments-object', value: json({ call_id: 'c3', segments: { speaker: 'a', text: 'hi' } }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'missing-call-id', value: json({ text: 'hello there' }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'empty-call-id', value: json({ call_id: '', text: 'hello there' }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'long-call-id', value: json({ call_id: 'x'.repeat(10_000), text: 'hello' }), expected: { reason: 'SCHEMA_VIOLATION' } },
  { name: 'empty-text', value: json({ call_id: 'c4', text: '' }), expected: { reason: 'NO_TEXT' } },
  { name: 'whitespace-text', value: json({ call_id: 'c5', text: ' \n\t\u00a0\u3000 ' }), expected: { reason: 'NO_TEXT' } },
  { name: 'blank-segments', value: json({ call_id: 'c6', segments: [{ speaker: 'a', text: '  ' }] }), expected: { reason: 'NO_TEXT' } },
  { name: 'empty-value', value: Buffer.alloc(0), expected: { reason: 'EMPTY_MESSAGE' } },
  { name: 'tombstone', value: null, expected: { reason: 'EMPTY_MESSAGE' } },
  { name: 'huge-10mib-text', value: json({ call_id: 'huge', text: 'a'.repeat(HUGE_TEXT_CHARS) }), expected: { reason: 'MESSAGE_TOO_LARGE' } },
  { name: 'text-too-long', value: json({ call_id: 'long', text: 'good '.repeat(50_000) }), expected: { reason: 'TEXT_TOO_LONG' } },
  { name: 'invalid-utf8', value: Buffer.concat([Buffer.from('{"call_id":"u","text":"caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]), expected: { reason: 'INVALID_UTF8' } },
  { name: 'overlong-utf8', value: Buffer.concat([Buffer.from('{"call_id":"u2","text":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), expected: { reason: 'INVALID_UTF8' } },
  { name: 'nested-100', value: nested(100), expected: { reason: 'NESTING_TOO_DEEP' } },
  { name: 'nested-500k', value: '['.repeat(500_000), expected: { reason: 'NESTING_TOO_DEEP' } },
  { name: 'raw-null-bytes', value: Buffer.from([0, 0, 0, 0]), expected: { reason: 'INVALID_JSON' } },
  { name: 'raw-null-in-string', value: Buffer.concat([Buffer.from('{"call_id":"n1","text":"a'), Buffer.from([0]), Buffer.from('b"}')]), expected: { reason: 'INVALID_JSON' } },
  { name: 'escaped-null-in-text', value: json({ call_id: 'n2', text: 'good\u0000 service\u0000' }), expected: { result: 'n2' } },
  { name: 'lone-surrogate', value: '{"call_id":"s1","text":"great \\ud800 day"}', expected: { result: 's1' } },
  { name: 'utf8-bom', value: `\ufeff${json({ call_id: 'bom', text: 'I love it' })}`, expected: { result: 'bom' } },
  {
    name: 'proto-key',
    value: '{"call_id":"p1","text":"nice","__proto__":{"polluted":"yes"},"metadata":{"__proto__":{"polluted":"yes"}}}',
    expected: { result: 'p1' },
    // Carried through as an own key of metadata, not as a prototype.
    resultText: /"metadata":\{"__proto__":\{"polluted":"yes"\}\}/,
  },
  {
    name: 'constructor-prototype',
    value: '{"call_id":"p2","text":"nice","constructor":{"prototype":{"polluted":"yes"}},"metadata":{"constructor":{"prototype":{"polluted":"yes"}}}}',
    expected: { result: 'p2' },
    resultText: /"metadata":\{"constructor":\{"prototype":\{"polluted":"yes"\}\}\}/,
  },
  {
    name: 'proto-speaker',
    value: json({ call_id: 'p3', segments: [{ speaker: '__proto__', text: 'This is terrible.' }, { speaker: 'constructor', text: 'Thanks, great!' }] }),
    expected: { result: 'p3' },
    resultText: /"speakers":\{"__proto__":\{.*"constructor":\{/,
  },
];

describe.each(kafkaClientsUnderTest())('hostile input through the real broker (%s client)', (client) => {
  const bootstrap = testBootstrap();
  let topics: TestTopics;
  let worker: WorkerProcess;

  beforeAll(async () => {
    topics = {
      input: uniqueName('calls.transcribed'),
      output: uniqueName('calls.sentiment'),
      dlq: uniqueName('calls.dlq'),
      group: uniqueName('sentiment-worker'),
    };
    await createTopics(bootstrap, [
      // The broker refuses records over max.message.bytes (1 MB by default): raise it for this topic only.
      { topic: topics.input, numPartitions: 1, configs: { 'max.message.bytes': String(12 * 1024 * 1024) } },
      { topic: topics.output, numPartitions: 1 },
      { topic: topics.dlq, numPartitions: 1 },
    ]);
    worker = await spawnWorker(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, LOG_LEVEL: 'info', DLQ_MAX_VALUE_BYTES: String(DLQ_MAX_VALUE_BYTES) }));
  });

  afterAll(async () => {
    await worker?.kill();
  });

  it('when every hostile case arrives, then each becomes its expected result or dead-letter reason, and the worker keeps going', async () => {
    // One partition, the huge record in the middle: what follows it must not be stuck behind it.
    await produceRaw(bootstrap, topics.input, corpus.map((c) => ({ key: c.name, value: c.value })));
    const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, corpus.length, 90_000);

    const outcome = (c: HostileCase): { kind: 'result' | 'dead'; message: ReadMessage } | undefined => {
      const r = 'result' in c.expected ? results.find((m) => m.key?.toString() === (c.expected as { result: string }).result) : undefined;
      if (r) return { kind: 'result', message: r };
      const d = deadLetters.find((m) => m.key?.toString() === c.name);
      return d ? { kind: 'dead', message: d } : undefined;
    };

    const table = corpus.map((c) => {
      const o = outcome(c);
      const got = !o ? 'nothing' : o.kind === 'result' ? 'result' : (headerText(o.message, DeadLetterHeaders.reason) ?? 'dead letter without reason');
      const want = 'result' in c.expected ? 'result' : c.expected.reason;
      return { name: c.name, want, got };
    });
    expect(table.filter((row) => row.want !== row.got)).toEqual([]);

    for (const c of corpus.filter((k) => k.resultText)) {
      const o = outcome(c);
      expect(o?.message.value?.toString()).toMatch(c.resultText as RegExp);
    }

    // The 10 MiB input: dead-lettered, cut to DLQ_MAX_VALUE_BYTES and flagged.
    const huge = deadLetters.find((m) => m.key?.toString() === 'huge-10mib-text') as ReadMessage;
    expect(huge.value?.length).toBe(DLQ_MAX_VALUE_BYTES);
    expect(headerText(huge, DeadLetterHeaders.truncated)).toBe('true');
    expect(Number(headerText(huge, DeadLetterHeaders.originalSize))).toBeGreaterThan(HUGE_TEXT_CHARS);

    const report = await ledgerFromTopics(bootstrap, topics);
    expect({ ok: report.ok, summary: describeLedgerReport(report) }).toMatchObject({ ok: true });

    // Still alive and healthy, and a normal event gets its result promptly.
    expect(worker.child.exitCode).toBeNull();
    await produceRaw(bootstrap, topics.input, [{ key: 'after', value: json({ call_id: 'after-the-corpus', text: 'All good now, thank you!' }) }]);
    const after = await waitFor(
      'a result for the event after the corpus',
      async () => (await readTopicToEnd(bootstrap, topics.output)).find((m) => m.key?.toString() === 'after-the-corpus'),
      30_000,
      250,
    );
    expect(JSON.parse(String(after.value))).toMatchObject({ call_id: 'after-the-corpus', label: 'positive' });
    const health = (await (await fetch(`${worker.url}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(worker.child.exitCode).toBeNull();
    // The worker logged every dead letter with its reason, never the (hostile) payload itself.
    expect(worker.output()).not.toContain('a'.repeat(1000));
    process.stdout.write(`hostile corpus: ${table.map((r) => `${r.name}=${r.got}`).join(', ')}\n`);
  });
});

