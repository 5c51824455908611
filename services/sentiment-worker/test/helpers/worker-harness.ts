import { createTopics, readTopicToEnd, testBootstrap, testKafka, uniqueName, waitFor, workerTopicEnv, type ReadMessage, type WorkerTopics } from '@sentiment/testing';
import { spawnWorker, type WorkerProcess } from './worker-process';

export type TestTopics = WorkerTopics;

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
    ...workerTopicEnv(bootstrap, topics),
    SCORER: 'vader',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '15000',
    KAFKA_CLIENT: 'kafkajs',
    ...overrides,
  };
}

/** One line the worker logged (its JSON log format), for assertions. */
export interface LogRecord {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

export interface TestWorker {
  url: string;
  process: WorkerProcess;
  /** Every line logged so far, parsed. */
  logs(): LogRecord[];
  /** The lines with this message. */
  find(message: string): LogRecord[];
  /** SIGTERM; resolves with the exit code once the process has exited. */
  stop(reason?: string): Promise<number | null>;
}

function parseLogs(output: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const { level, message, timestamp: _t, service: _s, ...meta } = JSON.parse(line) as Record<string, unknown>;
      if (typeof level === 'string' && typeof message === 'string') records.push({ level, message, meta });
    } catch {
      // not a log line
    }
  }
  return records;
}

/**
 * The worker as a process of its own (`node dist/services/sentiment-worker/src/main.js`) on the
 * given environment, the way it runs in production: whatever the Kafka client, nothing of it is
 * shared with the test runner's module system. Its JSON logs are kept for assertions.
 */
export async function startTestWorker(env: NodeJS.ProcessEnv): Promise<TestWorker> {
  const worker = await spawnWorker(env);
  return {
    url: worker.url,
    process: worker,
    logs: () => parseLogs(worker.output()),
    find: (message) => parseLogs(worker.output()).filter((r) => r.message === message),
    stop: () => worker.stop(),
  };
}

// The one polling loop of the tests lives in libs/testing; re-exported for the tests that import it from here.
export { waitFor };

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
  // testKafka splits a cluster's comma-separated bootstrap (one `brokers` entry with commas has no valid port).
  const admin = testKafka(bootstrap, { clientId: 'test-offsets' }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export async function endOffsets(bootstrap: string, topic: string): Promise<Map<number, number>> {
  const admin = testKafka(bootstrap, { clientId: 'test-offsets' }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}
