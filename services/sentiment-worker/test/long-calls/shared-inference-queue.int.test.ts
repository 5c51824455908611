/**
 * Long calls through the broker with the tiny known-answer model and one inference queue for the
 * whole process (MODEL_QUEUE=process): consumed batches of several partitions share micro-batches,
 * and still every segment is scored once and gets its own score, every call its own result, the
 * batches of a partition complete in order, and SIGTERM loses nothing. On both Kafka clients.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { SentimentResult } from '@sentiment/events';
import { writeTinyModelDir } from '@sentiment/onnx-builder';
import { createTopics, kafkaClientsUnderTest, produceJson, testBootstrap, uniqueName, type JsonMessage } from '@sentiment/testing';
import { committedOffsets, endOffsets, startTestWorker, waitFor, waitForOutcomes, waitForReady, workerEnv, type TestTopics } from '../helpers/worker-harness';
import { reportFigures, summary, waitForNothingLost } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { metricTotal, poll } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';

jest.setTimeout(300_000);

/** Phrases whose tiny-model label is known; repeated 1-6 times so rows have many lengths. */
const PHRASES = {
  positive: 'Thank you so much, that is great and really helpful, I love it.',
  negative: 'This is terrible and awful, I am angry and I want a refund.',
  neutral: 'The parcel was sent on Tuesday to the address on the account.',
} as const;
type Label = keyof typeof PHRASES;
const LABELS = Object.keys(PHRASES) as Label[];

interface Segment {
  speaker: string;
  text: string;
}

/** `count` calls of 12-36 segments from two speakers; each segment's label is known. */
function calls(count: number, prefix: string): { messages: JsonMessage[]; expected: Map<string, Label[]> } {
  const expected = new Map<string, Label[]>();
  const messages = Array.from({ length: count }, (_, c) => {
    const callId = `${prefix}-${c}`;
    const segments: Segment[] = [];
    const labels: Label[] = [];
    const n = 12 + ((c * 7) % 25);
    for (let s = 0; s < n; s++) {
      const label = LABELS[(c + s * 5) % 3] as Label;
      segments.push({ speaker: s % 2 === 0 ? 'customer' : 'agent', text: Array.from({ length: 1 + ((c + s) % 6) }, () => PHRASES[label]).join(' ') });
      labels.push(label);
    }
    expected.set(callId, labels);
    // Spread over the partitions evenly, so every partition has batches in flight at once.
    return { key: callId, value: { call_id: callId, segments }, partition: c % 6 };
  });
  return { messages, expected };
}

describe.each(kafkaClientsUnderTest())('long calls in one inference queue (%s client)', (client) => {
  let modelDir: string;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    modelDir = await mkdtemp(join(tmpdir(), 'tiny-model-'));
    await writeTinyModelDir(modelDir);
  });
  afterAll(async () => {
    await workers.killAll();
    await rm(modelDir, { recursive: true, force: true });
  });

  const modelEnv = () => ({
    KAFKA_CLIENT: client,
    SCORER: 'roberta',
    MODEL_DIR: modelDir,
    // One inference thread and a long wait: the batches of six partitions queue up together.
    MODEL_THREADS: '1',
    MODEL_QUEUE: 'process',
    MODEL_BATCH_WAIT_MS: '200',
    MAX_IN_FLIGHT_BATCHES: '6',
    // Small fetches: several consumed batches per partition, so their order can be checked.
    KAFKA_MAX_BYTES_PER_PARTITION: '8192',
  });

  it('when calls from six partitions are in flight together, then micro-batches mix them, every segment is scored once with its own score, and each partition completes its batches in order', async () => {
    const bootstrap = testBootstrap();
    // One output partition: the order results were produced in is the order they were written.
    const topics: TestTopics = { input: uniqueName('calls.transcribed'), output: uniqueName('calls.sentiment'), dlq: uniqueName('calls.dlq'), group: uniqueName('sentiment-worker') };
    await createTopics(bootstrap, [
      { topic: topics.input, numPartitions: 6 },
      { topic: topics.output, numPartitions: 1 },
      { topic: topics.dlq, numPartitions: 1 },
    ]);
    const { messages, expected } = calls(72, `mix-${client}`);
    // One request per six calls, so each partition's log holds one call per record batch: the
    // broker then hands every partition out in every fetch (a record batch larger than the
    // partition's fetch size goes out alone), and six consumed batches are in flight at once.
    for (let i = 0; i < messages.length; i += 6) await produceJson(bootstrap, topics.input, messages.slice(i, i + 6));
    const worker = await startTestWorker(workerEnv(bootstrap, topics, modelEnv()));
    try {
      await waitForReady(worker.url);
      const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, messages.length, 180_000);
      expect(deadLetters).toHaveLength(0);
      const parsed = results.map((m) => JSON.parse(String(m.value)) as SentimentResult);
      expect(new Set(parsed.map((r) => r.call_id)).size).toBe(messages.length);

      // Every segment got the score of its own text.
      let wrong = 0;
      for (const r of parsed) {
        expect(r.model).toBe('roberta-onnx');
        const want = expected.get(r.call_id) ?? [];
        expect(r.segments?.length).toBe(want.length);
        r.segments?.forEach((s, i) => {
          if (s.label !== want[i]) wrong++;
        });
      }
      expect(wrong).toBe(0);

      // Each text went to the model once: the rows of every micro-batch add up to the chunks of every call.
      const chunks = parsed.reduce((n, r) => n + r.chunks, 0);
      const texts = await metricTotal(worker.url, 'sentiment_inference_batch_texts_sum');
      expect(texts).toBe(chunks);
      // And micro-batches held rows of more than one consumed batch.
      const batches = await metricTotal(worker.url, 'sentiment_inference_batch_calls_count');
      const single = await metricTotal(worker.url, 'sentiment_inference_batch_calls_bucket', /le="1"/);
      const calledPerBatch = (await metricTotal(worker.url, 'sentiment_inference_batch_calls_sum')) / batches;
      reportFigures(`shared inference queue (${client})`, { calls: messages.length, chunks, microBatches: batches, mixedMicroBatches: batches - single, callsPerMicroBatch: Number(calledPerBatch.toFixed(2)) });
      expect(batches - single).toBeGreaterThan(0);

      // Per input partition, results were written in offset order: batches completed in order.
      const offsetsByPartition = new Map<number, number[]>();
      for (const r of parsed) offsetsByPartition.set(r.source.partition, [...(offsetsByPartition.get(r.source.partition) ?? []), Number(r.source.offset)]);
      expect(offsetsByPartition.size).toBe(6);
      for (const [, offsets] of offsetsByPartition) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      // The commit follows the acknowledgement of the results: wait for the last one.
      const end = Object.fromEntries(await endOffsets(bootstrap, topics.input));
      const committed = await waitFor('every partition committed to its end', async () => {
        const now = Object.fromEntries(await committedOffsets(bootstrap, topics.group, topics.input));
        return JSON.stringify(now) === JSON.stringify(end) ? now : undefined;
      }, 30_000).catch(async () => Object.fromEntries(await committedOffsets(bootstrap, topics.group, topics.input)));
      expect(committed).toEqual(end);
    } finally {
      await worker.stop();
    }
  });

  it('when SIGTERM arrives while long calls wait in the queue, then the worker exits 0 and with its successor nothing is lost or repeated', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 6);
    const { messages } = calls(240, `term-${client}`);
    await produceJson(bootstrap, topics.input, messages);
    const env = workerEnv(bootstrap, topics, { ...modelEnv(), LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '20000' });
    const first = await workers.spawn({ ...env, INSTANCE_ID: `first-${client}` });
    await poll('results flowing', async () => ((await metricTotal(first.url, 'sentiment_results_total')) >= 20 ? true : undefined), 120_000, 100);
    const queued = await metricTotal(first.url, 'sentiment_inference_queue_depth');
    const code = await first.stop(60_000);
    const successor = await workers.spawn({ ...env, INSTANCE_ID: `successor-${client}` });
    const report = await waitForNothingLost(bootstrap, topics, 180_000);
    await successor.stop(60_000);
    reportFigures(`SIGTERM with long calls queued (${client})`, { exitCode: code, queuedAtStop: queued, ...summary(report), text: undefined });
    expect(code).toBe(0);
    expect(summary(report)).toMatchObject({ inputs: messages.length, lost: 0, duplicatedInputs: 0, deadLetters: 0, unknown: 0 });
  });
});
