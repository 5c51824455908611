import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { defaultDecodeLimits, DeadLetterHeaders } from '@sentiment/events';
import { RECORD_BATCH_OVERHEAD_BYTES, type ConsumedBatch, type InputMessage, type TopicLimits } from '@sentiment/kafka';
import { createWorkerMetrics, silentLogger } from '@sentiment/observability';
import { BatchPool } from '../../src/batch/batch-pool';
import type { Outcome, PreparedOutcomes } from '../../src/batch/batch-types';
import { outcomesOnMainThread } from '../../src/batch/main-thread-outcomes';
import { loadConfig } from '../../src/config';
import { createScoringEngine, type ScoringEngine } from '../../src/scoring-engine';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..');
const lines = (file: string) => readFileSync(join(repoRoot, file), 'utf8').split('\n').filter((l) => l.length > 0);

/**
 * What may differ between the two paths, and nothing else:
 * - a result's `timings.scoring_ms`: how long scoring this batch took, measured where it ran;
 * - a dead letter's `x-dlq-at` header: when it was built.
 * Everything else must be equal byte for byte: record keys, values and headers, and the outcome
 * fields the worker reads (kind, index, reason, detail, call id, label, model, truncated). (The
 * size bound keeps room for scoring_ms at its widest, so its width cannot change what a result keeps.)
 */
const SCORING_MS = /"scoring_ms":(-?[0-9.e+-]+)/;

function expectSameOutcomes(pooled: readonly Outcome[], main: readonly Outcome[]): void {
  expect(pooled.map(comparable)).toEqual(main.map(comparable));
}

function comparable(o: Outcome): Record<string, unknown> {
  const value = Buffer.isBuffer(o.record.value) ? o.record.value : Buffer.from(o.record.value, 'utf8');
  const headers = { ...(o.record.headers ?? {}) };
  let scoringMs: number | undefined;
  let bytes = value.toString('latin1'); // byte for byte: one char per byte
  if (o.kind === 'result') {
    const m = SCORING_MS.exec(bytes);
    scoringMs = Number(m?.[1]);
    bytes = bytes.replace(SCORING_MS, '"scoring_ms":<time>');
  } else {
    expect(typeof headers[DeadLetterHeaders.failedAt]).toBe('string');
    headers[DeadLetterHeaders.failedAt] = '<time>';
  }
  if (scoringMs !== undefined) expect(Number.isFinite(scoringMs) && scoringMs >= 0).toBe(true);
  const key = o.record.key === null ? null : Buffer.isBuffer(o.record.key) ? o.record.key.toString('latin1') : o.record.key;
  const headerText = JSON.stringify(headers, (_k, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('latin1') : v));
  const common = { kind: o.kind, index: o.index, key, bytes, headers: headerText };
  return o.kind === 'result'
    ? { ...common, callId: o.callId, label: o.label, model: o.model, truncated: o.truncated }
    : { ...common, reason: o.reason, detail: o.detail };
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer';
}

function fakeBatch(messages: InputMessage[], partition = 0): ConsumedBatch {
  const noop = () => undefined;
  return {
    topic: 'calls.transcribed',
    partition,
    messages,
    lag: 0,
    nextOffset: String(Number(messages[messages.length - 1]?.offset ?? -1) + 1),
    receivedAt: 1_764_000_000_000,
    membership: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: undefined },
    heartbeat: async () => undefined,
    commit: async () => undefined,
    release: noop,
    fail: noop,
    abandon: noop,
  };
}

function message(offset: number, value: Buffer | null, headers: InputMessage['headers'] = {}): InputMessage {
  return { offset: String(offset), key: Buffer.from(`k${offset}`), value, headers, timestamp: String(1_763_999_990_000 + offset) };
}

const limitsOf = (output: number | undefined): TopicLimits => ({ maxMessageBytes: (topic: string) => (topic === 'calls.sentiment' ? output : undefined) }) as TopicLimits;

describe('the batch pool against the main-thread steps', () => {
  let engine: ScoringEngine;
  let pool: BatchPool;
  const env = loadConfig({ SCORER: 'vader', INSTANCE_ID: 'test-instance' }).env;
  const options = (limits: TopicLimits) => ({
    outputTopic: env.OUTPUT_TOPIC,
    dlqTopic: env.DLQ_TOPIC,
    dlqMaxValueBytes: env.DLQ_MAX_VALUE_BYTES,
    workerVersion: '0.0.0-test',
    instanceId: 'test-instance',
    limits,
    decodeLimits: { ...defaultDecodeLimits, maxTextChars: 20_000 },
  });

  beforeAll(async () => {
    engine = await createScoringEngine(env, silentLogger, createWorkerMetrics(new Registry()));
    const o = options(limitsOf(undefined));
    pool = new BatchPool(
      { decodeLimits: o.decodeLimits, vaderLowConfidenceThreshold: env.VADER_LOW_CONFIDENCE_THRESHOLD, workerVersion: o.workerVersion, instanceId: o.instanceId, outputTopic: o.outputTopic, recordOverheadBytes: RECORD_BATCH_OVERHEAD_BYTES },
      2,
    );
  });

  afterAll(async () => {
    await pool.close();
    await engine.close();
  });

  async function both(batch: ConsumedBatch, limits: TopicLimits): Promise<{ main: PreparedOutcomes; pooled: PreparedOutcomes }> {
    const o = options(limits);
    const main = await outcomesOnMainThread(batch, engine, o, async () => undefined, silentLogger);
    const pooled = await pool.outcomes(batch, o);
    return { main, pooled };
  }

  it('when the 12,284 TweetEval test tweets go through both paths in batches of 500, then every outcome is the same byte for byte but for scoring_ms', async () => {
    const tweets = lines('libs/scoring/test/fixtures/tweeteval/test_text.txt');
    expect(tweets.length).toBe(12_284);
    let compared = 0;
    let results = 0;
    let offset = 0;
    for (let start = 0; start < tweets.length; start += 500) {
      const messages = tweets.slice(start, start + 500).map((text, i) => {
        offset++;
        return message(offset, Buffer.from(JSON.stringify({ call_id: `tweet-${start + i}`, text })));
      });
      const { main, pooled } = await both(fakeBatch(messages, start % 6), limitsOf(undefined));
      expect(pooled.outcomes.length).toBe(messages.length);
      expectSameOutcomes(pooled.outcomes, main.outcomes);
      expect({ scored: pooled.scored, scorer: pooled.scorer }).toEqual({ scored: main.scored, scorer: main.scorer });
      // The pool's values are views of the buffer it handed back, not strings made again here.
      expect(pooled.outcomes.filter((o) => o.kind === 'result').every((o) => Buffer.isBuffer(o.record.value))).toBe(true);
      compared += pooled.outcomes.length;
      results += pooled.outcomes.filter((o) => o.kind === 'result').length;
    }
    process.stderr.write(`[batch pool] compared ${compared} outcomes (${results} results) of the TweetEval test tweets\n`);
    expect(compared).toBe(tweets.length);
    expect(results).toBeGreaterThan(12_000);
  }, 300_000);

  it('when a batch mixes calls with segments, malformed events, null and empty values, trace headers and a refused record batch, then both paths give the same outcomes', async () => {
    const values: (Buffer | null)[] = [
      ...lines('samples/calls.jsonl').map((l) => Buffer.from(l)),
      ...lines('samples/malformed.jsonl').map((l) => Buffer.from(l)),
      null,
      Buffer.alloc(0),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(JSON.stringify({ call_id: 'too-long', text: 'x '.repeat(15_000) })),
      Buffer.from(JSON.stringify({ call_id: 'meta', text: 'Great, thanks!', language: 'en', metadata: { queue: 'billing', tags: ['a', 'b'] } })),
    ];
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const messages = values.map((v, i) => message(100 + i, v, i % 3 === 0 ? { traceparent: Buffer.from(traceparent), tracestate: Buffer.from('vendor=a'), other: null } : {}));
    messages.push({
      ...message(200, null),
      refusedBatch: { firstOffset: '200', lastOffset: '260', recordCount: 61, codec: 'zstd', limitBytes: 1024, compressedBytes: 99, compressed: Buffer.from('zstd bytes') },
    });
    const { main, pooled } = await both(fakeBatch(messages, 3), limitsOf(undefined));
    expectSameOutcomes(pooled.outcomes, main.outcomes);
    const kinds = pooled.outcomes.map((o) => (o.kind === 'result' ? 'result' : o.reason));
    process.stderr.write(`[batch pool] mixed batch: ${kinds.filter((k) => k === 'result').length} results, dead letters ${JSON.stringify(kinds.filter((k) => k !== 'result'))}\n`);
    expect(new Set(kinds)).toEqual(new Set(['result', 'INVALID_JSON', 'SCHEMA_VIOLATION', 'NO_TEXT', 'EMPTY_MESSAGE', 'INVALID_UTF8', 'TEXT_TOO_LONG', 'NESTING_TOO_DEEP', 'DECOMPRESSION_LIMIT']));
    const traced = pooled.outcomes.find((o) => o.kind === 'result' && o.record.headers?.['traceparent'] === traceparent);
    expect(traced?.record.value.toString()).toContain(traceparent);
  }, 60_000);

  it('when the output topic accepts little, then both paths truncate the same results and dead-letter the same ones as RESULT_TOO_LARGE', async () => {
    const calls = lines('samples/calls.jsonl').map((l, i) => message(i, Buffer.from(l)));
    let truncated = 0;
    let tooLarge = 0;
    for (const limit of [1_500, 2_500, 4_000]) {
      const { main, pooled } = await both(fakeBatch(calls, 1), limitsOf(limit));
      expectSameOutcomes(pooled.outcomes, main.outcomes);
      truncated += pooled.outcomes.filter((o) => o.kind === 'result' && o.truncated).length;
      tooLarge += pooled.outcomes.filter((o) => o.kind === 'dead-letter' && o.reason === 'RESULT_TOO_LARGE').length;
      for (const o of pooled.outcomes) if (o.kind === 'result') expect(Buffer.byteLength(o.record.value as Buffer)).toBeLessThanOrEqual(limit);
    }
    process.stderr.write(`[batch pool] output limits 1500, 2500, 4000 B: ${truncated} truncated, ${tooLarge} RESULT_TOO_LARGE of ${3 * calls.length}\n`);
    expect(truncated).toBeGreaterThan(0);
    expect(tooLarge).toBeGreaterThan(0);
  }, 60_000);
});
