import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeadLetterHeaders, type SentimentResult } from '@sentiment/events';
import { kafkaClientsUnderTest, produceRaw, testBootstrap, type ReadMessage, runKcat } from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitForOutcomes, waitForReady, workerEnv, type TestTopics } from '../helpers/worker-harness';

// Headers are bytes: whatever a producer puts in them (invalid UTF-8, Latin-1, no value at all,
// the same name twice) must neither break the worker nor be altered on the dead letter; only a
// well-formed W3C trace context is carried onto results.

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;
const DEAD_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const KCAT_TRACEPARENT = '00-11111111111111111111111111111111-2222222222222222-00';
const BINARY = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
const LATIN1 = Buffer.from('café', 'latin1');

const event = (id: string) => JSON.stringify({ call_id: id, text: 'The agent was lovely and solved everything.' });
describe.each(kafkaClientsUnderTest())('input headers (%s client)', (client) => {
  const bootstrap = testBootstrap();
  let topics: TestTopics;
  let results: ReadMessage[];
  let deadLetters: ReadMessage[];
  let worker: Awaited<ReturnType<typeof startTestWorker>>;

  const byKey = (messages: ReadMessage[], key: string) => {
    const found = messages.find((m) => String(m.key) === key);
    if (!found) throw new Error(`no message with key ${key} among ${messages.map((m) => String(m.key)).join(', ')}`);
    return found;
  };
  const body = (m: ReadMessage) => JSON.parse(String(m.value)) as SentimentResult;

  beforeAll(async () => {
    topics = await createTestTopics(bootstrap, 1);
    worker = await startTestWorker(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, LOG_LEVEL: 'debug' }));
    await waitForReady(worker.url);
    await produceRaw(bootstrap, topics.input, [
      { key: 'binary-ok', value: event('binary-ok'), headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE', 'x-binary': BINARY } },
      { key: 'binary-bad', value: 'not json', headers: { traceparent: DEAD_TRACEPARENT, 'x-binary': BINARY, 'x-latin1': LATIN1 } },
      { key: 'traceparent-not-ascii', value: event('traceparent-not-ascii'), headers: { traceparent: Buffer.concat([Buffer.from(TRACEPARENT.slice(0, 20)), BINARY]) } },
      { key: 'traceparent-uppercase', value: event('traceparent-uppercase'), headers: { traceparent: TRACEPARENT.toUpperCase() } },
    ]);
    // kcat writes a header without '=' with a null value, something kafkajs cannot produce itself.
    await runKcat(
      ['-P', '-b', bootstrap, '-t', topics.input, '-K', '\t', '-H', 'no-value', '-H', 'dup=first', '-H', 'dup=second', '-H', `traceparent=${KCAT_TRACEPARENT}`],
      `kcat-null-ok\t${event('kcat-null-ok')}\nkcat-null-bad\t{"call_id":\n`,
    );
    ({ results, deadLetters } = await waitForOutcomes(bootstrap, topics, 6, 60_000));
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('test done');
  });

  it('when headers hold invalid UTF-8, Latin-1, null values or repeat, then every input still ends as exactly one outcome and the consumer never crashed', async () => {
    expect(results.map((m) => String(m.key)).sort()).toEqual(['binary-ok', 'kcat-null-ok', 'traceparent-not-ascii', 'traceparent-uppercase']);
    expect(deadLetters.map((m) => String(m.key)).sort()).toEqual(['binary-bad', 'kcat-null-bad']);
    const health = (await (await fetch(`${worker.url}/health`)).json()) as { kafka: { consumer: { crashes: number } } };
    expect(health.kafka.consumer.crashes).toBe(0);
  });

  it('when an input is dead-lettered, then its headers are on the dead letter byte for byte', () => {
    const dead = byKey(deadLetters, 'binary-bad');
    expect(dead.headers['x-binary']).toEqual(BINARY);
    expect(dead.headers['x-latin1']).toEqual(LATIN1);
    expect(dead.headers['traceparent']).toEqual(Buffer.from(DEAD_TRACEPARENT));
    expect(dead.headers[DeadLetterHeaders.reason]?.toString()).toBe('INVALID_JSON');
  });

  it('when a dead-lettered input has a header without a value, then it keeps it: as null (platformatic), or empty and named in x-dlq-null-headers (kafkajs cannot produce null)', () => {
    const dead = byKey(deadLetters, 'kcat-null-bad');
    if (client === 'kafkajs') {
      expect(dead.headers['no-value']).toEqual(Buffer.alloc(0));
      expect(dead.headers['x-dlq-null-headers']?.toString()).toBe('["no-value"]');
    } else {
      expect(dead.headers).toHaveProperty('no-value', null);
      expect(dead.headers['x-dlq-null-headers']).toBeUndefined();
    }
    expect(dead.headers['traceparent']?.toString()).toBe(KCAT_TRACEPARENT);
  });

  it('when a dead-lettered input repeats a header name, then every value is kept in order', async () => {
    const { stdout: out } = await runKcat(['-C', '-b', bootstrap, '-t', topics.dlq, '-o', 'beginning', '-e', '-q', '-f', '%k %h\\n']);
    const line = out.toString('utf8').split('\n').find((l) => l.startsWith('kcat-null-bad '));
    expect(line).toMatch(/dup=first,dup=second/);
  });

  it('when an input carries a valid traceparent and tracestate, then its result carries both as headers and in the body, and nothing else', () => {
    const result = byKey(results, 'binary-ok');
    expect(result.headers['traceparent']?.toString()).toBe(TRACEPARENT);
    expect(result.headers['tracestate']?.toString()).toBe('congo=t61rcWkgMzE');
    expect(result.headers['x-binary']).toBeUndefined();
    expect(body(result).trace).toEqual({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' });
    expect(body(byKey(results, 'kcat-null-ok')).trace).toEqual({ traceparent: KCAT_TRACEPARENT });
  });

  it('when traceparent is not ASCII or uses uppercase hex, then the result has no trace context', () => {
    for (const key of ['traceparent-not-ascii', 'traceparent-uppercase']) {
      const result = byKey(results, key);
      expect(result.headers['traceparent']).toBeUndefined();
      expect(body(result).trace).toBeUndefined();
    }
  });

  it('when LOG_LEVEL is debug, then the line logged for each result carries the trace id of its input', () => {
    const lines = worker.find('result produced');
    const traced = lines.find((l) => l.meta['call_id'] === 'binary-ok');
    expect(traced?.level).toBe('debug');
    expect(traced?.meta).toMatchObject({ trace_id: TRACE_ID, topic: topics.input, label: 'positive' });
    expect(lines.find((l) => l.meta['call_id'] === 'traceparent-uppercase')?.meta).not.toHaveProperty('trace_id');
    const dead = worker.find('message dead-lettered').find((l) => l.meta['reason'] === 'INVALID_JSON');
    expect(dead?.meta).toMatchObject({ trace_id: DEAD_TRACEPARENT.slice(3, 35) });
  });
});
