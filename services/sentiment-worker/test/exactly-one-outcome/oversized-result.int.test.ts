import { afterAll, describe, expect, it, jest } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020';
import { DeadLetterHeaders, sentimentResultSchema, type SentimentResult } from '@sentiment/events';
import { headerText, kafkaClientsUnderTest, ledgerFromTopics, produceJson, readTopicToEnd, testBootstrap, type JsonMessage } from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures, summary, waitForNothingLost } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { setTopicConfig } from '../reliability/helpers/topic-config';
import { metricTotal, poll, readyStatus } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';

jest.setTimeout(240_000);

const SEGMENTS = 7_000;
const NEIGHBOURS = 60;
const validateResult = new Ajv2020({ strict: false }).compile(sentimentResultSchema);

/** A valid call of 7,000 short turns (~0.55 MB): its full result is over 1 MB. */
function longCall(callId: string): JsonMessage {
  const turns = ['okay', 'thank you so much', 'yes', 'that is not what I asked for', 'great', 'hmm, I see'];
  const segments = Array.from({ length: SEGMENTS }, (_, i) => ({ speaker: i % 2 ? 'agent' : 'customer', text: turns[i % turns.length] as string, start_ms: i * 1000, end_ms: i * 1000 + 900 }));
  return { key: callId, value: { call_id: callId, segments, metadata: { queue: 'billing', notes: 'x'.repeat(2000) } } };
}

type ResultWithTruncation = SentimentResult & { truncated?: { reason: string; limit_bytes: number; segments_total?: number; segments_kept?: number; speakers_total?: number; metadata_omitted?: boolean } };

describe.each(kafkaClientsUnderTest())('results bounded to the output topic (%s client)', (client) => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());

  async function run(outputMaxMessageBytes: string | undefined, prefix: string) {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 1);
    if (outputMaxMessageBytes) await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', outputMaxMessageBytes);
    const inputs = [...callEvents(NEIGHBOURS / 2, `${prefix}-before`), longCall(`${prefix}-long`), ...callEvents(NEIGHBOURS / 2, `${prefix}-after`)];
    // One partition, in this order, so the long call shares its batch with its neighbours.
    await produceJson(bootstrap, topics.input, inputs.map((m) => ({ ...m, partition: 0 })), { maxRequestBytes: 2 * 1024 * 1024 });
    const worker = await workers.spawn(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, INSTANCE_ID: `${prefix}-${client}`, KAFKA_MAX_BYTES_PER_PARTITION: '1048576' }));
    await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);
    const report = await waitForNothingLost(bootstrap, topics, 120_000);
    const truncatedMetric = await metricTotal(worker.url, 'sentiment_results_truncated_total');
    expect(await worker.stop()).toBe(0);
    const results = await readTopicToEnd(bootstrap, topics.output);
    const deadLetters = await readTopicToEnd(bootstrap, topics.dlq);
    return { topics, report, results, deadLetters, truncatedMetric, final: await ledgerFromTopics(bootstrap, topics) };
  }

  it('when a valid call of 7,000 segments sits between 60 ordinary events, then its result keeps the overall, per-speaker and trajectory figures, drops per-segment detail past what fits (saying so), and every neighbour gets its result', async () => {
    try {
      const { report, results, deadLetters, truncatedMetric, final } = await run(undefined, 'long');
      const long = results.find((m) => String(m.key) === 'long-long');
      const body = JSON.parse(String(long?.value)) as ResultWithTruncation;
      reportFigures(`oversized result (${client})`, { resultBytes: long?.value?.length, truncated: body.truncated, results: results.length, deadLetters: deadLetters.length });
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
      expect(final.ok).toBe(true);
      expect(results).toHaveLength(NEIGHBOURS + 1);
      expect(deadLetters).toHaveLength(0);
      expect(validateResult(body)).toBe(true);
      expect(body.truncated).toMatchObject({ reason: 'max_message_bytes', segments_total: SEGMENTS });
      expect(body.segments?.length).toBe(body.truncated?.segments_kept);
      expect(body.truncated?.segments_kept).toBeGreaterThan(0);
      expect(body.truncated?.segments_kept).toBeLessThan(SEGMENTS);
      expect(Object.keys(body.speakers ?? {}).sort()).toEqual(['agent', 'customer']);
      expect(body.trajectory).toBeDefined();
      expect(body.chunks).toBe(SEGMENTS);
      expect(long?.value?.length).toBeLessThanOrEqual(body.truncated?.limit_bytes ?? 0);
      expect(truncatedMetric).toBe(1);
      // Ordinary results are complete.
      for (const m of results.filter((r) => String(r.key) !== 'long-long')) expect((JSON.parse(String(m.value)) as ResultWithTruncation).truncated).toBeUndefined();
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });

  it('when the output topic accepts only 700 bytes, then results that cannot fit even bounded are dead-lettered RESULT_TOO_LARGE one by one, and each input still has exactly one outcome', async () => {
    try {
      const { report, results, deadLetters, final } = await run('700', 'tiny');
      const reasons = deadLetters.map((m) => headerText(m, DeadLetterHeaders.reason));
      reportFigures(`results over a 700-byte output topic (${client})`, { results: results.length, deadLetters: deadLetters.length, reasons: [...new Set(reasons)] });
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
      expect(final.ok).toBe(true);
      expect(results.length + deadLetters.length).toBe(NEIGHBOURS + 1);
      expect(new Set(reasons)).toEqual(new Set(['RESULT_TOO_LARGE']));
      for (const m of results) expect(m.value?.length).toBeLessThanOrEqual(700);
      // The long call cannot fit bounded either; its dead letter keeps the input's bytes (0.55 MB fits the DLQ).
      const long = deadLetters.find((m) => String(m.key) === 'tiny-long');
      expect((JSON.parse(String(long?.value)) as { call_id: string }).call_id).toBe('tiny-long');
      expect(headerText(long as (typeof deadLetters)[number], DeadLetterHeaders.truncated)).toBeUndefined();
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
