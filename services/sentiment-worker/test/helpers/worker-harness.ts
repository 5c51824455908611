import { Kafka, logLevel } from 'kafkajs';
import { silentLogger, type Logger } from '@sentiment/observability';
import { createTopics, readTopicToEnd, testBootstrap, uniqueName, type ReadMessage } from '@sentiment/testing';
import { loadConfig } from '../../src/config';
import { startSentimentWorker, type WorkerHandle } from '../../src/sentiment-worker';

export interface TestTopics {
  input: string;
  output: string;
  dlq: string;
  group: string;
}

/** Fresh topics and group per test, so tests never see each other's messages. */
export async function createTestTopics(bootstrap = testBootstrap(), partitions = 3): Promise<TestTopics> {
  const topics = {
    input: uniqueName('calls.transcribed'),
    output: uniqueName('calls.sentiment'),
    dlq: uniqueName('calls.dlq'),
    group: uniqueName('sentiment-worker'),
  };
  await createTopics(bootstrap, [
    { topic: topics.input, numPartitions: partitions },
    { topic: topics.output, numPartitions: partitions },
    { topic: topics.dlq, numPartitions: 1 },
  ]);
  return topics;
}

export function workerEnv(bootstrap: string, topics: TestTopics, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: bootstrap,
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    DLQ_TOPIC: topics.dlq,
    KAFKA_GROUP_ID: topics.group,
    SCORER: 'vader',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '15000',
    KAFKA_CLIENT: process.env['KAFKA_TEST_CLIENT'] ?? 'kafkajs',
    ...overrides,
  };
}

/** The worker in this process, on the shared test broker. */
export async function startTestWorker(
  env: NodeJS.ProcessEnv,
  logger: Logger = silentLogger,
): Promise<WorkerHandle & { url: string }> {
  const worker = await startSentimentWorker(loadConfig(env), logger);
  return Object.assign(worker, { url: `http://127.0.0.1:${worker.port}` });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitForReady(url: string, timeoutMs = 60000): Promise<void> {
  await waitFor('/ready to answer 200', async () => {
    const res = await fetch(`${url}/ready`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, timeoutMs);
}

/** Reads output and dead-letter topics until together they hold at least `count` messages. */
export async function waitForOutcomes(
  bootstrap: string,
  topics: TestTopics,
  count: number,
  timeoutMs = 90000,
): Promise<{ results: ReadMessage[]; deadLetters: ReadMessage[] }> {
  return waitFor(`${count} outcomes`, async () => {
    const [results, deadLetters] = await Promise.all([readTopicToEnd(bootstrap, topics.output), readTopicToEnd(bootstrap, topics.dlq)]);
    return results.length + deadLetters.length >= count ? { results, deadLetters } : undefined;
  }, timeoutMs, 500);
}

/** Committed offsets of the group, per partition, as numbers (-1 when none). */
export async function committedOffsets(bootstrap: string, group: string, topic: string): Promise<Map<number, number>> {
  const admin = new Kafka({ clientId: 'test-offsets', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export async function endOffsets(bootstrap: string, topic: string): Promise<Map<number, number>> {
  const admin = new Kafka({ clientId: 'test-offsets', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}
