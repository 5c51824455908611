import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brokerProperties, clusterMinInsyncReplicas } from './broker-properties';
import { newClusterId } from './cluster-id';
import { readControllerQuorum, type ControllerQuorum } from './controller-quorum';
import { freePorts } from './free-port';
import { warmUpGroupCoordinator } from './group-coordinator-warm-up';
import { KafkaHarnessError } from './harness-error';
import { createKafkaNode, type KafkaBroker, type StartKafkaBrokerOptions } from './kafka-broker';
import { ensureKafkaJars } from './kafka-jars';
import { kafkaVersionFromEnv } from './kafka-versions';
import { testKafka } from './test-kafka-client';
import { createTopics, type TopicSpec } from './topics';

/**
 * Heap of one cluster node. Three of them run beside the test suite (and the jest shared broker)
 * on a 2-core, 24 GB machine: a test node holds a few thousand small messages, and its heap
 * stayed under ~100 MB used during the failover tests (docs/kafka-harness.md).
 */
export const CLUSTER_NODE_HEAP = '-Xms128m -Xmx320m';

export interface StartKafkaClusterOptions {
  /** Number of nodes (default 3). Each is broker and controller in one JVM. */
  size?: number;
  /** Apache Kafka version (default: $KAFKA_VERSION, else 3.9.1). */
  version?: string;
  /** Client ports, one per node (default: free ones). */
  ports?: readonly number[];
  /** Controller ports, one per node (default: free ones). */
  controllerPorts?: readonly number[];
  /** Parent directory: node N keeps its data in `<dataDir>/node-N` (default: a fresh temporary one, deleted by destroy()). */
  dataDir?: string;
  /** With an explicit dataDir: keep previously formatted logs. */
  reuseData?: boolean;
  /** Default true: quick-start JVM flags (see StartKafkaBrokerOptions.fastStart). */
  fastStart?: boolean;
  /** JVM heap flags per node (default CLUSTER_NODE_HEAP; KAFKA_TEST_HEAP_OPTS still wins). */
  heapOpts?: string;
  /** Extra or overriding server.properties entries, for every node. */
  properties?: Record<string, string>;
  /** How long to wait for the whole cluster (default 180 s: three JVMs start on two busy cores). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL, per node (default 30 s). */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface PartitionState {
  partition: number;
  /** Node id of the leader, -1 when there is none. */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface KafkaCluster {
  readonly version: string;
  readonly size: number;
  /** Every node's client address, comma-separated (what KAFKA_BROKERS gets). */
  readonly bootstrap: string;
  readonly nodes: readonly KafkaBroker[];
  /** min.insync.replicas the cluster gives new topics (2 for 3 nodes). */
  readonly minInsyncReplicas: number;
  /** The node with this id (1..size); throws for an unknown id. */
  node(nodeId: number): KafkaBroker;
  /** Addresses of the nodes running now (for clients that must not wait on a dead seed broker). */
  runningBootstrap(): string;
  /** SIGTERM (controlled shutdown: leadership moves away first), data kept. */
  stopNode(nodeId: number): Promise<void>;
  /** SIGKILL, as a crash. */
  killNode(nodeId: number): Promise<void>;
  /** Starts a stopped or killed node on the same ports and data; resolves once it is an unfenced broker again. */
  startNode(nodeId: number): Promise<void>;
  /** stopNode + startNode. */
  restartNode(nodeId: number): Promise<void>;
  /** Node id leading `topic`/`partition`, as the cluster's metadata says now (-1: none). */
  partitionLeader(topic: string, partition: number): Promise<number>;
  /** Leader, replicas and in-sync replicas of every partition of `topic`. */
  partitions(topic: string): Promise<PartitionState[]>;
  /** The active KRaft controller and its epoch, from the running nodes' quorum state. */
  controller(): ControllerQuorum | undefined;
  /**
   * Resolves once every partition of `topics` (default: all, internal ones included) has a leader
   * and all its replicas in sync; returns how long that took. Throws after `timeoutMs` (default 120 s).
   */
  waitForFullIsr(topics?: readonly string[], timeoutMs?: number): Promise<number>;
  /** Creates topics with one replica per node and min.insync.replicas (unless a spec says otherwise), then waits for full ISR. */
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Stops every node (SIGTERM, all at once), data kept. */
  stop(): Promise<void>;
  /** Stops every node and deletes temporary data (unless KAFKA_TEST_KEEP_DATA=1). */
  destroy(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts a real Apache Kafka cluster of `size` KRaft nodes on 127.0.0.1, each one broker and
 * controller in the same JVM (three voters: losing any one node keeps a controller quorum and an
 * ISR of two). Resolves when every node is an unfenced broker, the group coordinator has loaded
 * and the internal topics are fully replicated.
 */
export async function startKafkaCluster(options: StartKafkaClusterOptions = {}): Promise<KafkaCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1 || size > 9) throw new KafkaHarnessError(`cluster size must be 1-9, got ${size}`);
  const version = options.version ?? kafkaVersionFromEnv();
  await ensureKafkaJars(version, options.log ? { log: options.log } : {});
  for (const [name, list] of [['ports', options.ports], ['controllerPorts', options.controllerPorts]] as const) {
    if (list !== undefined && list.length !== size) throw new KafkaHarnessError(`${name} must list ${size} ports, got ${list.length}`);
  }
  const free = await freePorts((options.ports ? 0 : size) + (options.controllerPorts ? 0 : size));
  const ports = options.ports ? [...options.ports] : free.splice(0, size);
  const controllerPorts = options.controllerPorts ? [...options.controllerPorts] : free.splice(0, size);
  const temporary = options.dataDir === undefined;
  const parent = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), `kafka-cluster-${version}-`));
  mkdirSync(parent, { recursive: true });
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const voters = ids.map((nodeId, i) => ({ nodeId, controllerPort: controllerPorts[i] as number }));
  const clusterId = newClusterId();
  const heapOpts = options.heapOpts ?? CLUSTER_NODE_HEAP;
  const nodeOptions: StartKafkaBrokerOptions = {
    version,
    fastStart: options.fastStart ?? true,
    startTimeoutMs: options.startTimeoutMs ?? 180_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  const nodes = ids.map((nodeId, i) =>
    createKafkaNode({
      version,
      port: ports[i] as number,
      controllerPort: controllerPorts[i] as number,
      saslPort: undefined,
      sslPort: undefined,
      dataDir: path.join(parent, `node-${nodeId}`),
      // The parent directory is deleted by the cluster, not by each node.
      temporary: false,
      options: nodeOptions,
      cluster: { nodeId, voters, clusterId, heapOpts },
    }),
  );
  const offsetsPartitions = Number(
    brokerProperties({ version, nodeId: 1, host: HOST, port: 1, controllerPort: 2, logDir: '-', autoCreateTopics: false, ...(options.properties ? { overrides: options.properties } : {}) })[
      'offsets.topic.num.partitions'
    ] ?? '50',
  );
  const cluster = new LocalKafkaCluster(version, nodes, parent, temporary, offsetsPartitions, nodeOptions.startTimeoutMs as number);
  const started = Date.now();
  try {
    // A node only becomes an unfenced broker once a controller quorum exists: start them together.
    await Promise.all(nodes.map((n) => n.prepare(options.reuseData === true)));
    await Promise.all(nodes.map((n) => n.start()));
    await cluster.warmUp();
    await cluster.waitForFullIsr();
  } catch (err) {
    await cluster.destroy().catch(() => undefined);
    throw err;
  }
  options.log?.(`[kafka-harness] ${size}-node Kafka ${version} cluster ready on ${cluster.bootstrap} in ${Date.now() - started} ms`);
  return cluster;
}

class LocalKafkaCluster implements KafkaCluster {
  readonly size: number;
  readonly bootstrap: string;
  readonly minInsyncReplicas: number;

  constructor(
    readonly version: string,
    readonly nodes: readonly KafkaBroker[],
    private readonly dataDir: string,
    private readonly temporary: boolean,
    private readonly offsetsPartitions: number,
    private readonly startTimeoutMs: number,
  ) {
    this.size = nodes.length;
    this.bootstrap = nodes.map((n) => n.bootstrap).join(',');
    this.minInsyncReplicas = clusterMinInsyncReplicas(nodes.length);
  }

  node(nodeId: number): KafkaBroker {
    const node = this.nodes.find((n) => n.nodeId === nodeId);
    if (!node) throw new KafkaHarnessError(`no node ${nodeId} in this ${this.size}-node cluster`);
    return node;
  }

  runningBootstrap(): string {
    const running = this.nodes.filter((n) => n.isRunning());
    return (running.length > 0 ? running : this.nodes).map((n) => n.bootstrap).join(',');
  }

  stopNode(nodeId: number): Promise<void> {
    return this.node(nodeId).stop();
  }

  killNode(nodeId: number): Promise<void> {
    return this.node(nodeId).kill();
  }

  async startNode(nodeId: number): Promise<void> {
    await this.node(nodeId).start();
    await this.warmUp();
  }

  async restartNode(nodeId: number): Promise<void> {
    await this.stopNode(nodeId);
    await this.startNode(nodeId);
  }

  async partitions(topic: string): Promise<PartitionState[]> {
    // A fresh client each time: metadata cached by a long-lived one would lag behind a failover.
    const admin = testKafka(this.runningBootstrap(), { clientId: 'kafka-harness-cluster', retry: { retries: 3, initialRetryTime: 200 } }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return (metadata.topics[0]?.partitions ?? [])
        .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: [...p.replicas].sort(), isr: [...p.isr].sort() }))
        .sort((a, b) => a.partition - b.partition);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async partitionLeader(topic: string, partition: number): Promise<number> {
    const state = (await this.partitions(topic)).find((p) => p.partition === partition);
    if (!state) throw new KafkaHarnessError(`${topic} has no partition ${partition}`);
    return state.leader;
  }

  controller(): ControllerQuorum | undefined {
    return readControllerQuorum(this.nodes.filter((n) => n.isRunning()).map((n) => n.dataDir));
  }

  async waitForFullIsr(topics?: readonly string[], timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    let lastProblem = 'not checked yet';
    for (;;) {
      try {
        const names = topics ?? (await this.listTopics());
        const lagging: string[] = [];
        for (const topic of names) {
          for (const p of await this.partitions(topic)) {
            if (p.leader < 0 || p.isr.length < p.replicas.length) lagging.push(`${topic}/${p.partition} leader ${p.leader} isr [${p.isr.join(',')}] of [${p.replicas.join(',')}]`);
          }
        }
        if (lagging.length === 0) return Date.now() - started;
        lastProblem = `${lagging.length} partition(s) under-replicated, e.g. ${lagging.slice(0, 3).join('; ')}`;
      } catch (err) {
        lastProblem = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() - started > timeoutMs) throw new KafkaHarnessError(`cluster ${this.bootstrap} not fully in sync after ${timeoutMs} ms: ${lastProblem}`);
      await sleep(250);
    }
  }

  async createTopics(topics: readonly TopicSpec[]): Promise<void> {
    await createTopics(
      this.runningBootstrap(),
      topics.map((t) => ({
        ...t,
        replicationFactor: t.replicationFactor ?? this.size,
        configs: { 'min.insync.replicas': String(this.minInsyncReplicas), ...t.configs },
      })),
    );
    await this.waitForFullIsr(topics.map((t) => t.topic));
  }

  /** Group coordinator ready on every __consumer_offsets partition (see group-coordinator-warm-up.ts). */
  async warmUp(): Promise<void> {
    await warmUpGroupCoordinator(this.runningBootstrap(), { offsetsPartitions: this.offsetsPartitions, timeoutMs: this.startTimeoutMs });
  }

  async stop(): Promise<void> {
    // All at once: one after the other, the last node would wait for a controller quorum that
    // is already gone and ignore SIGTERM until stopTimeoutMs (measured: 30 s, then SIGKILL).
    await Promise.all(this.nodes.map((n) => n.stop()));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    await Promise.all(this.nodes.map((n) => n.destroy()));
    if (this.temporary && process.env['KAFKA_TEST_KEEP_DATA'] !== '1') rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async listTopics(): Promise<string[]> {
    const admin = testKafka(this.runningBootstrap(), { clientId: 'kafka-harness-cluster' }).admin();
    await admin.connect();
    try {
      return await admin.listTopics();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
