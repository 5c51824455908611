import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKafkaCluster, uniqueName, type KafkaCluster } from '@sentiment/testing';
import { setTopicConfig } from '../../reliability/helpers/topic-config';
import { workerEnv, type TestTopics } from '../../helpers/worker-harness';
import { WorkerProcesses } from '../../reliability/helpers/worker-processes';
import type { WorkerProcess } from '../../helpers/worker-process';

/** Partitions of the input and output topics in every cluster test (as calls.transcribed in production). */
export const PARTITIONS = 6;

/**
 * One 3-node cluster for a whole test file (three JVMs, quick-start flags, CLUSTER_NODE_HEAP), the
 * worker processes it feeds, and healing between tests so each starts with every node up and in sync.
 */
export class ClusterFixture {
  cluster!: KafkaCluster;
  readonly workers = new WorkerProcesses();

  async start(): Promise<void> {
    this.cluster = await startKafkaCluster({ size: 3, log: (line) => process.stderr.write(`${line}\n`) });
  }

  /** Fresh input/output/DLQ topics (3 replicas, min.insync.replicas 2) and a fresh group. */
  async topics(): Promise<TestTopics> {
    const topics = {
      input: uniqueName('calls.transcribed'),
      output: uniqueName('calls.sentiment'),
      dlq: uniqueName('calls.dlq'),
      group: uniqueName('sentiment-worker'),
    };
    await this.cluster.createTopics([
      { topic: topics.input, numPartitions: PARTITIONS },
      { topic: topics.output, numPartitions: PARTITIONS },
      { topic: topics.dlq, numPartitions: 1 },
    ]);
    return topics;
  }

  /**
   * A worker process through the shared helpers (test/helpers/worker-harness workerEnv, the
   * reliability WorkerProcesses), so whatever those pass on (e.g. a Kafka client choice) applies
   * here too. KAFKA_BROKERS lists all three nodes.
   */
  spawnWorker(topics: TestTopics, overrides: Record<string, string> = {}): Promise<WorkerProcess> {
    return this.workers.spawn(workerEnv(this.cluster.bootstrap, topics, { LOG_LEVEL: 'info', ...overrides }));
  }

  /** Sets a topic config through a node that is running. */
  setTopicConfig(topic: string, name: string, value: string): Promise<void> {
    return setTopicConfig(this.cluster.runningBootstrap(), topic, name, value);
  }

  /**
   * After a failure: every worker's whole log into a file (the tail on stderr), and where the
   * nodes' logs are (kept with KAFKA_TEST_KEEP_DATA=1).
   */
  dumpLogs(test: string): void {
    const slug = test.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    const file = path.join(os.tmpdir(), `${uniqueName(`cluster-${slug}`)}-workers.log`);
    writeFileSync(file, this.workers.output(Number.MAX_SAFE_INTEGER));
    process.stderr.write(`${this.workers.output(4000)}
[cluster] worker logs: ${file}; node logs: ${this.cluster.nodes.map((n) => n.logFile).join(', ')}
`);
  }

  /** Every node running again and every partition fully replicated (after a test that failed half-way too). */
  async heal(): Promise<void> {
    for (const node of this.cluster.nodes) if (!node.isRunning()) await this.cluster.startNode(node.nodeId);
    await this.cluster.waitForFullIsr();
  }

  async destroy(): Promise<void> {
    await this.workers.killAll();
    await this.cluster?.destroy();
  }
}
