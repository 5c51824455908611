import { describe, expect, it } from '@jest/globals';
import { freePorts, ledgerFromTopics, produceJson, testBootstrap, kafkaClientsUnderTest } from '@sentiment/testing';
import { committedOffsets, createTestTopics, endOffsets, startTestWorker, waitForOutcomes, waitForReady, workerEnv } from './helpers/worker-harness';

describe.each(kafkaClientsUnderTest())('worker lifecycle (%s client)', (client) => {
  it('when Kafka is unreachable, then the API still answers: /health says so, /ready is 503, /analyze works', async () => {
    const [closedPort] = await freePorts(1);
    const topics = { input: 'calls.transcribed', output: 'calls.sentiment', dlq: 'calls.transcribed.dlq', group: 'g' };
    const worker = await startTestWorker(workerEnv(`127.0.0.1:${closedPort}`, topics, { KAFKA_CLIENT: client, KAFKA_CONNECTION_TIMEOUT_MS: '200' }));
    try {
      const health = await fetch(`${worker.url}/health`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; kafka: { connected: boolean } };
      expect(body.kafka.connected).toBe(false);
      expect(body.status).toBe('degraded');
      const ready = await fetch(`${worker.url}/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reasons: string[] }).reasons.join(' ')).toMatch(/kafka/);
      const analyze = await fetch(`${worker.url}/analyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'What a great day' }),
      });
      expect(analyze.status).toBe(200);
    } finally {
      await worker.stop();
    }
  });

  it('when the worker stops gracefully mid-stream and a new one takes over, then nothing is lost or duplicated', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 3);
    const events = Array.from({ length: 3000 }, (_, i) => ({
      key: `call-${i}`,
      value: { call_id: `call-${i}`, text: i % 2 ? 'I am so happy with this, thank you!' : 'This is awful and I am angry.' },
    }));
    await produceJson(bootstrap, topics.input, events);

    const first = await startTestWorker(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client }));
    await waitForReady(first.url);
    await waitForOutcomes(bootstrap, topics, 200);
    await first.stop('handover');

    const committed = await committedOffsets(bootstrap, topics.group, topics.input);
    const ends = await endOffsets(bootstrap, topics.input);
    const committedTotal = [...committed.values()].reduce((a, b) => a + Math.max(0, b), 0);
    expect(committedTotal).toBeGreaterThan(0);
    expect(committedTotal).toBeLessThanOrEqual([...ends.values()].reduce((a, b) => a + b, 0));

    const second = await startTestWorker(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client }));
    try {
      await waitForOutcomes(bootstrap, topics, events.length);
      const report = await ledgerFromTopics(bootstrap, topics);
      expect(report.lost).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.results).toBe(events.length);
    } finally {
      await second.stop();
    }
  });
});
