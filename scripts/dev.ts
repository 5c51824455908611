import path from 'node:path';
import { describeError } from '@sentiment/errors';
import { createLogger } from '@sentiment/observability';
import { createTopics, startKafkaBroker } from '@sentiment/testing';
import { loadConfig } from '../services/sentiment-worker/src/config';
import { startSentimentWorker } from '../services/sentiment-worker/src/sentiment-worker';

/**
 * `npm run dev`: a local Kafka broker (Apache Kafka's jars, KRaft) plus the worker in one
 * terminal, no Docker. Ctrl-C stops the worker gracefully, then the broker. A development
 * tool, not part of the deployable service: it needs the test broker harness (@sentiment/testing).
 */
async function main(): Promise<void> {
  const port = Number(process.env['KAFKA_PORT'] ?? 9092);
  const dataDir = process.env['KAFKA_DATA_DIR'] ?? path.join(process.cwd(), '.cache', 'kafka-data');
  console.log(`starting local Kafka on 127.0.0.1:${port} (first run fetches the jars with Maven)...`);
  const broker = await startKafkaBroker({
    port,
    controllerPort: Number(process.env['KAFKA_CONTROLLER_PORT'] ?? port + 1),
    dataDir,
    reuseData: process.env['KAFKA_KEEP_DATA'] === '1',
    log: (line) => console.log(line),
  });
  process.env['KAFKA_BROKERS'] = broker.bootstrap;
  const config = loadConfig();
  const env = config.env;
  await createTopics(broker.bootstrap, [
    { topic: env.INPUT_TOPIC, numPartitions: Number(process.env['INPUT_TOPIC_PARTITIONS'] ?? 6) },
    { topic: env.OUTPUT_TOPIC, numPartitions: Number(process.env['OUTPUT_TOPIC_PARTITIONS'] ?? 6) },
    { topic: env.DLQ_TOPIC, numPartitions: 1 },
  ]);
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, service: 'sentiment-worker' });
  const worker = await startSentimentWorker(config, logger);
  console.log(`worker up: http://127.0.0.1:${worker.port}/health  Kafka: ${broker.bootstrap}  (Ctrl-C to stop)`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await worker.stop('dev stop').catch((err: unknown) => console.error(describeError(err)));
    await broker.stop().catch((err: unknown) => console.error(describeError(err)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void worker.fatal.then(() => stop(1));
}

main().catch((err: unknown) => {
  console.error('dev start failed:', describeError(err));
  process.exit(1);
});
