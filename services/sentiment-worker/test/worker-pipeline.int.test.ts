import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020';
import { DeadLetterHeaders, sentimentResultSchema, type SentimentResult } from '@sentiment/events';
import { describeLedgerReport, headerText, ledgerFromTopics, produceRaw, testBootstrap, kafkaClientsUnderTest } from '@sentiment/testing';
import {
  committedOffsets,
  createTestTopics,
  endOffsets,
  startTestWorker,
  waitForOutcomes,
  waitForReady,
  workerEnv,
  type TestTopics,
} from './helpers/worker-harness';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const sampleLines = (file: string) =>
  readFileSync(join(repoRoot, 'samples', file), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

const validateResult = new Ajv2020({ strict: false }).compile(sentimentResultSchema);

describe.each(kafkaClientsUnderTest())('sentiment worker on a real broker (%s client)', (client) => {
  const bootstrap = testBootstrap();
  let topics: TestTopics;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    topics = await createTestTopics(bootstrap, 3);
    worker = await startTestWorker(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, MAX_IN_FLIGHT_BATCHES: '3' }));
    await waitForReady(worker.url);
  });

  afterAll(async () => {
    await worker?.stop('test done');
  });

  it('when valid and malformed events arrive, then each yields exactly one result or one dead letter', async () => {
    const valid = sampleLines('calls.jsonl');
    const malformed = sampleLines('malformed.jsonl');
    const inputs = [
      ...valid.map((line) => ({ key: (JSON.parse(line) as { call_id: string }).call_id, value: line })),
      ...malformed.map((line, i) => ({ key: `bad-${i}`, value: line })),
      { key: 'invalid-utf8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      { key: 'empty', value: null },
    ];
    await produceRaw(bootstrap, topics.input, inputs);
    const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, inputs.length);

    const report = await ledgerFromTopics(bootstrap, topics);
    expect({ ok: report.ok, summary: describeLedgerReport(report) }).toMatchObject({ ok: true });
    expect(report.inputs).toBe(inputs.length);
    expect(results).toHaveLength(valid.length);
    expect(deadLetters).toHaveLength(malformed.length + 2);

    for (const message of results) {
      const result = JSON.parse(String(message.value)) as SentimentResult;
      expect(validateResult(result)).toBe(true);
      expect(String(message.key)).toBe(result.call_id);
      expect(result.model).toBe('vader');
    }
    const byId = new Map(results.map((m) => {
      const r = JSON.parse(String(m.value)) as SentimentResult;
      return [r.call_id, r];
    }));
    expect(byId.get('call-praise')?.label).toBe('positive');
    expect(byId.get('call-text-angry')?.label).toBe('negative');
    expect(byId.get('call-text-caps')?.label).toBe('negative');
    const billing = byId.get('call-billing-dispute');
    expect(billing?.segments).toHaveLength(7);
    expect(Object.keys(billing?.speakers ?? {})).toEqual(['customer', 'agent']);
    expect(billing?.trajectory).toMatchObject({ basis: 'time' });

    const reasons = deadLetters.map((m) => headerText(m, DeadLetterHeaders.reason));
    expect(reasons).toEqual(expect.arrayContaining(['INVALID_JSON', 'SCHEMA_VIOLATION', 'NO_TEXT', 'NESTING_TOO_DEEP', 'INVALID_UTF8', 'EMPTY_MESSAGE']));
    const notJson = deadLetters.find((m) => String(m.value) === 'this is not json');
    expect(notJson).toBeDefined();
    expect(headerText(notJson!, DeadLetterHeaders.reason)).toBe('INVALID_JSON');
    const utf8 = deadLetters.find((m) => String(m.key) === 'invalid-utf8');
    expect(utf8?.value).toEqual(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));

    // at-least-once: offsets are committed once the outcomes are acknowledged
    const ends = await endOffsets(bootstrap, topics.input);
    let committed = await committedOffsets(bootstrap, topics.group, topics.input);
    for (let i = 0; i < 40 && [...ends].some(([p, end]) => end > 0 && committed.get(p) !== end); i++) {
      await new Promise((r) => setTimeout(r, 250));
      committed = await committedOffsets(bootstrap, topics.group, topics.input);
    }
    for (const [partition, end] of ends) if (end > 0) expect(committed.get(partition)).toBe(end);
  });

  it('when a traceparent header is on an input, then it is on its result and on its dead letter', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const tracestate = 'vendor=opaque';
    await produceRaw(bootstrap, topics.input, [
      { key: 'traced-ok', value: JSON.stringify({ call_id: 'traced-ok', text: 'lovely' }), headers: { traceparent, tracestate } },
      { key: 'traced-bad', value: 'nope', headers: { traceparent } },
    ]);
    const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, sampleLines('calls.jsonl').length + sampleLines('malformed.jsonl').length + 4);
    const result = results.find((m) => String(m.key) === 'traced-ok');
    expect(result && headerText(result, 'traceparent')).toBe(traceparent);
    expect(result && headerText(result, 'tracestate')).toBe(tracestate);
    expect((JSON.parse(String(result?.value)) as SentimentResult).trace?.traceparent).toBe(traceparent);
    const dead = deadLetters.find((m) => String(m.key) === 'traced-bad');
    expect(dead && headerText(dead, 'traceparent')).toBe(traceparent);
  });

  it('when the worker runs, then /health, /ready, /metrics and /analyze answer', async () => {
    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; scorer: { active: string }; kafka: { connected: boolean } };
    expect(body.scorer.active).toBe('vader');
    expect(body.kafka.connected).toBe(true);
    expect((await fetch(`${worker.url}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/sentiment_messages_consumed_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/sentiment_dead_letters_total\{[^}]*reason="INVALID_JSON"[^}]*\} [1-9]/);
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    const analyze = await fetch(`${worker.url}/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['I love it', 'I hate it'] }),
    });
    expect(analyze.status).toBe(200);
    const scored = (await analyze.json()) as { results: { label: string; model: string }[] };
    expect(scored.results.map((r) => r.label)).toEqual(['positive', 'negative']);
  });
});
