import { describe, expect, it } from '@jest/globals';
import type { OpenApiDocument } from '@sentiment/http';
import { describeErrors, freePorts, OpenApiValidator, produceJson, testBootstrap, kafkaClientsUnderTest } from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitForOutcomes, waitForReady, workerEnv } from './helpers/worker-harness';

/** GETs `path` and checks status and body against the document the same worker serves. */
async function expectDocumented(url: string, path: '/health' | '/ready', status: number): Promise<Record<string, unknown>> {
  const validator = new OpenApiValidator((await (await fetch(`${url}/openapi.json`)).json()) as OpenApiDocument, { closed: true });
  const res = await fetch(url + path);
  expect(res.status).toBe(status);
  const body = (await res.json()) as Record<string, unknown>;
  const validate = validator.responseValidator(path, 'get', String(status), 'application/json');
  if (!validate(body)) throw new Error(`${path} does not match the document: ${describeErrors(validate)}\n${JSON.stringify(body)}`);
  return body;
}

describe.each(kafkaClientsUnderTest())('the running worker and its OpenAPI document (%s client)', (client) => {
  it('when the worker has processed a batch, then its /health and /ready answers are the documented ones', async () => {
    const topics = await createTestTopics();
    const worker = await startTestWorker(workerEnv(testBootstrap(), topics, { KAFKA_CLIENT: client }));
    try {
      await waitForReady(worker.url);
      await produceJson(testBootstrap(), topics.input, [{ key: 'c1', value: { call_id: 'c1', text: 'thanks, that was great' } }]);
      await waitForOutcomes(testBootstrap(), topics, 1);
      const health = await expectDocumented(worker.url, '/health', 200);
      expect(health).toMatchObject({ status: 'ok', kafka: { connected: true, consumer: { state: 'running', group_id: topics.group } } });
      expect((health['kafka'] as { consumer: Record<string, unknown> }).consumer['last_batch_at']).toEqual(expect.any(String));
      await expectDocumented(worker.url, '/ready', 200);
    } finally {
      await worker.stop();
    }
  });

  it('when Kafka is unreachable, then the degraded /health and the 503 /ready are the documented ones', async () => {
    const [closedPort] = await freePorts(1);
    const topics = { input: 'calls.transcribed', output: 'calls.sentiment', dlq: 'calls.transcribed.dlq', group: 'g' };
    const worker = await startTestWorker(workerEnv(`127.0.0.1:${closedPort}`, topics, { KAFKA_CLIENT: client, KAFKA_CONNECTION_TIMEOUT_MS: '200' }));
    try {
      expect(await expectDocumented(worker.url, '/health', 200)).toMatchObject({ status: 'degraded', kafka: { connected: false } });
      await expectDocumented(worker.url, '/ready', 503);
    } finally {
      await worker.stop();
    }
  });
});
