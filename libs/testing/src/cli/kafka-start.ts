// npm run kafka:start: a local broker (or, with KAFKA_CLUSTER_SIZE=3, a replicated cluster) in the
// foreground for development, with the worker's topics.
import path from 'node:path';
import { startKafkaBroker } from '../kafka-broker';
import { startKafkaCluster } from '../kafka-cluster';
import { kafkaVersionFromEnv } from '../kafka-versions';
import { repoRoot } from '../repo-paths';
import { createTopics, type TopicSpec } from '../topics';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

function workerTopics(): TopicSpec[] {
  return [
    { topic: process.env['INPUT_TOPIC'] ?? 'calls.transcribed', numPartitions: intFromEnv('INPUT_TOPIC_PARTITIONS', 6) },
    { topic: process.env['OUTPUT_TOPIC'] ?? 'calls.sentiment', numPartitions: intFromEnv('OUTPUT_TOPIC_PARTITIONS', 6) },
    { topic: process.env['DLQ_TOPIC'] ?? 'calls.transcribed.dlq', numPartitions: intFromEnv('DLQ_TOPIC_PARTITIONS', 1) },
  ];
}

interface Running {
  bootstrap: string;
  stop(): Promise<void>;
}

function handleSignals(running: () => Running | undefined, isStopping: { value: boolean }): void {
  const shutdown = (signal: string): void => {
    if (isStopping.value) return;
    isStopping.value = true;
    console.log(`\n${signal}: stopping Kafka...`);
    (running()?.stop() ?? Promise.resolve())
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
}

async function startSingle(version: string, port: number, dataDir: string, keepData: boolean, stopping: { value: boolean }): Promise<Running> {
  const controllerPort = intFromEnv('KAFKA_CONTROLLER_PORT', port + 1);
  const log = (line: string): void => console.log(line);
  const broker = await startKafkaBroker({ version, port, controllerPort, dataDir, reuseData: keepData, fastStart: false, log });
  broker.onUnexpectedExit((code, signal) => {
    if (stopping.value) return;
    console.error(`Kafka broker exited unexpectedly (${code ?? signal}); see ${broker.logFile}\n${broker.logTail(20)}`);
    process.exit(1);
  });
  const topics = workerTopics();
  await createTopics(broker.bootstrap, topics);
  console.log(`Topics: ${topics.map((t) => `${t.topic} (${t.numPartitions})`).join(', ')}`);
  console.log(`Kafka ${version} running. Bootstrap: ${broker.bootstrap}  (data: ${dataDir}${keepData ? ', kept' : ', fresh'})`);
  return broker;
}

/**
 * Node i (0-based) listens on KAFKA_PORT + i for clients and on KAFKA_CONTROLLER_PORT + i
 * (default KAFKA_PORT + size + i) for the controller quorum: 9092-9094 and 9095-9097 for 3 nodes.
 */
async function startCluster(version: string, size: number, port: number, dataDir: string, keepData: boolean, stopping: { value: boolean }): Promise<Running> {
  const controllerPort = intFromEnv('KAFKA_CONTROLLER_PORT', port + size);
  const ports = Array.from({ length: size }, (_, i) => port + i);
  const controllerPorts = Array.from({ length: size }, (_, i) => controllerPort + i);
  const log = (line: string): void => console.log(line);
  const cluster = await startKafkaCluster({ version, size, ports, controllerPorts, dataDir, reuseData: keepData, fastStart: false, log });
  for (const node of cluster.nodes) {
    // One node going away is what a cluster is for: say so, keep the others running.
    node.onUnexpectedExit((code, signal) => {
      if (stopping.value) return;
      console.error(`Kafka node ${node.nodeId} (${node.bootstrap}) exited unexpectedly (${code ?? signal}); the others keep running. Log: ${node.logFile}`);
    });
  }
  const topics = workerTopics();
  await cluster.createTopics(topics);
  console.log(`Topics: ${topics.map((t) => `${t.topic} (${t.numPartitions} partitions, ${size} replicas, min.insync.replicas ${cluster.minInsyncReplicas})`).join(', ')}`);
  const controller = cluster.controller();
  console.log(
    `Kafka ${version} cluster of ${size} nodes running (broker + controller each; active controller: node ${controller?.leaderId ?? '?'}). ` +
      `Data: ${dataDir}/node-N${keepData ? ', kept' : ', fresh'}`,
  );
  for (const node of cluster.nodes) console.log(`  node ${node.nodeId}: ${node.bootstrap} (controller port ${node.controllerPort}, pid ${node.pid}, log ${node.logFile})`);
  return cluster;
}

async function main(): Promise<void> {
  const version = kafkaVersionFromEnv();
  const size = intFromEnv('KAFKA_CLUSTER_SIZE', 1);
  const port = intFromEnv('KAFKA_PORT', 9092);
  const keepData = process.env['KAFKA_KEEP_DATA'] === '1';
  const dataDir = process.env['KAFKA_DATA_DIR'] ?? path.join(repoRoot(), '.cache', 'kafka-data');
  const stopping = { value: false };
  // Signals during start-up stop whatever is already running (the orphan guard kills the rest).
  const state: { running?: Running } = {};
  handleSignals(() => state.running, stopping);
  const running = size === 1 ? await startSingle(version, port, dataDir, keepData, stopping) : await startCluster(version, size, port, dataDir, keepData, stopping);
  state.running = running;
  console.log(`KAFKA_BROKERS=${running.bootstrap}`);
  console.log('Ctrl-C to stop.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
