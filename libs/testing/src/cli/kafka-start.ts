// npm run kafka:start: a local broker in the foreground for development, with the worker's topics.
import path from 'node:path';
import { startKafkaBroker } from '../kafka-broker';
import { kafkaVersionFromEnv } from '../kafka-versions';
import { repoRoot } from '../repo-paths';
import { createTopics } from '../topics';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const version = kafkaVersionFromEnv();
  const port = intFromEnv('KAFKA_PORT', 9092);
  const controllerPort = intFromEnv('KAFKA_CONTROLLER_PORT', port + 1);
  const keepData = process.env['KAFKA_KEEP_DATA'] === '1';
  const dataDir = process.env['KAFKA_DATA_DIR'] ?? path.join(repoRoot(), '.cache', 'kafka-data');
  const log = (line: string): void => console.log(line);

  const broker = await startKafkaBroker({ version, port, controllerPort, dataDir, reuseData: keepData, fastStart: false, log });
  let stopping = false;
  broker.onUnexpectedExit((code, signal) => {
    if (stopping) return;
    console.error(`Kafka broker exited unexpectedly (${code ?? signal}); see ${broker.logFile}\n${broker.logTail(20)}`);
    process.exit(1);
  });
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Kafka...`);
    broker
      .stop()
      .then(() => {
        console.log('Kafka stopped.');
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const topics = [
    { topic: process.env['INPUT_TOPIC'] ?? 'calls.transcribed', numPartitions: intFromEnv('INPUT_TOPIC_PARTITIONS', 6) },
    { topic: process.env['OUTPUT_TOPIC'] ?? 'calls.sentiment', numPartitions: intFromEnv('OUTPUT_TOPIC_PARTITIONS', 6) },
    { topic: process.env['DLQ_TOPIC'] ?? 'calls.transcribed.dlq', numPartitions: intFromEnv('DLQ_TOPIC_PARTITIONS', 1) },
  ];
  await createTopics(broker.bootstrap, topics);
  console.log(`Topics: ${topics.map((t) => `${t.topic} (${t.numPartitions})`).join(', ')}`);
  console.log(`Kafka ${version} running. Bootstrap: ${broker.bootstrap}  (data: ${dataDir}${keepData ? ', kept' : ', fresh'})`);
  console.log(`KAFKA_BROKERS=${broker.bootstrap}`);
  console.log('Ctrl-C to stop.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
