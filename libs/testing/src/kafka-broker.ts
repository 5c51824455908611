import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SASLOptions } from 'kafkajs';
import { planClassDataSharing } from './broker-class-data-sharing';
import { waitForBroker } from './broker-readiness';
import { brokerProperties, formatProperties, type ScramMechanism, scramFormatArgument } from './broker-properties';
import { newClusterId } from './cluster-id';
import { freePorts } from './free-port';
import { KafkaHarnessError } from './harness-error';
import { brokerJvmOptions, javaCommand } from './java-command';
import { ensureKafkaJars, kafkaClasspath } from './kafka-jars';
import { runKafkaJavaTool } from './kafka-java-tool';
import { writeKafkaLoggingConfig } from './kafka-logging-config';
import { kafkaVersionFromEnv, STORAGE_TOOL_CLASS } from './kafka-versions';
import { guardChild } from './orphan-guard';
import { warmUpGroupCoordinator } from './group-coordinator-warm-up';
import { createTestTls } from './self-signed-tls';

export interface ScramCredentials {
  mechanism: ScramMechanism;
  username: string;
  password: string;
}

export interface StartKafkaBrokerOptions {
  /** Apache Kafka version (default: $KAFKA_VERSION, else 3.9.1). Jars are fetched on first use. */
  version?: string;
  /** Client port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** KRaft controller port (default: a free one). */
  controllerPort?: number;
  /** Data directory (default: a fresh temporary one, deleted by destroy()). */
  dataDir?: string;
  /** With an explicit dataDir: keep a previously formatted log instead of starting empty. */
  reuseData?: boolean;
  /** Adds a SASL_PLAINTEXT listener with SCRAM; these credentials are created at format time. */
  sasl?: ScramCredentials;
  /** Port of the SASL listener (default: a free one). */
  saslPort?: number;
  /** Adds an SSL listener with a certificate from a CA made at start (openssl CLI); clients trust `ssl.ca`. */
  ssl?: boolean;
  /** Port of the SSL listener (default: a free one). */
  sslPort?: number;
  /** Default false: tests create their topics (createTopics), like production. */
  autoCreateTopics?: boolean;
  /** Extra or overriding server.properties entries, e.g. { 'message.max.bytes': '2097152' }. */
  properties?: Record<string, string>;
  /** How long to wait for the broker to answer (default 120 s; a cold JVM on a busy CI box is slow). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 30 s). */
  stopTimeoutMs?: number;
  /**
   * Default true: JVM flags for a quick start and low CPU (C1 JIT only). Set false for a broker
   * that should reach full throughput (npm run kafka:start, benchmarks).
   */
  fastStart?: boolean;
  /**
   * Record the classes this broker loads on its first start and, in destroy(), dump them into an
   * AppCDS archive that makes every later broker of this version start about twice as fast.
   * Costs 10-40 s in destroy(), once; meant for the jest global-setup broker (teardown has no timeout).
   */
  buildStartupArchive?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface KafkaBroker {
  readonly version: string;
  /** KRaft node id: 1 for a single broker, 1..N in a cluster (startKafkaCluster). */
  readonly nodeId: number;
  /** '127.0.0.1:PORT' of the PLAINTEXT listener. */
  readonly bootstrap: string;
  readonly port: number;
  readonly controllerPort: number;
  /** '127.0.0.1:PORT' of the SASL_PLAINTEXT (SCRAM) listener, when started with `sasl`. */
  readonly saslBootstrap: string | undefined;
  /** kafkajs `sasl` option matching the SCRAM listener, when started with `sasl`. */
  readonly sasl: SASLOptions | undefined;
  /** '127.0.0.1:PORT' of the SSL listener, when started with `ssl: true`. */
  readonly sslBootstrap: string | undefined;
  /** kafkajs `ssl` option trusting the broker's throw-away CA, when started with `ssl: true`. */
  readonly ssl: { ca: string[] } | undefined;
  readonly dataDir: string;
  /** The broker's stdout/stderr (its log4j output) across every start. */
  readonly logFile: string;
  /** pid of the running JVM, undefined when stopped. */
  readonly pid: number | undefined;
  /** Milliseconds from spawning the JVM to the broker answering, for the latest start. */
  readonly startupMs: number;
  isRunning(): boolean;
  /** SIGTERM (controlled shutdown), then SIGKILL after stopTimeoutMs. Keeps the data: start() resumes it. */
  stop(): Promise<void>;
  /** Starts a stopped broker again on the same ports with the same data. */
  start(): Promise<void>;
  /** stop() if running, then start(). */
  restart(): Promise<void>;
  /** SIGKILL, as in a crash. The data stays; start() recovers it. */
  kill(): Promise<void>;
  /** Stops the broker and deletes a temporary data directory (unless KAFKA_TEST_KEEP_DATA=1). */
  destroy(): Promise<void>;
  /** Called when the JVM exits without stop()/kill()/destroy() having asked for it. */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** The last lines of the broker log, for error messages. */
  logTail(lines?: number): string;
}

const HOST = '127.0.0.1';

/**
 * Starts a real single-node Apache Kafka broker (KRaft, broker and controller in one JVM) from
 * the jars fetched by tools/kafka/pom.xml, and resolves once it answers metadata requests.
 */
export async function startKafkaBroker(options: StartKafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const version = options.version ?? kafkaVersionFromEnv();
  await ensureKafkaJars(version, options.log ? { log: options.log } : {});
  const needed = [options.port, options.controllerPort, options.sasl ? options.saslPort : 0, options.ssl ? options.sslPort : 0].filter(
    (p) => p === undefined,
  ).length;
  const free = await freePorts(needed);
  const take = (given: number | undefined): number => given ?? (free.shift() as number);
  const port = take(options.port);
  const controllerPort = take(options.controllerPort);
  const saslPort = options.sasl ? take(options.saslPort) : undefined;
  const sslPort = options.ssl ? take(options.sslPort) : undefined;

  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), `kafka-test-${version}-`));
  const broker = new LocalKafkaBroker({
    version,
    port,
    controllerPort,
    saslPort,
    sslPort,
    dataDir,
    temporary,
    options,
  });
  try {
    await broker.prepare(options.reuseData === true);
    await broker.start();
  } catch (err) {
    await broker.destroy().catch(() => undefined);
    throw err;
  }
  return broker;
}

/** How a node belongs to a multi-node cluster (kafka-cluster.ts); absent for a single broker. */
export interface ClusterMembership {
  nodeId: number;
  voters: ReadonlyArray<{ nodeId: number; controllerPort: number }>;
  /** Every node of one cluster is formatted with the same id. */
  clusterId: string;
  /** JVM heap flags of this node (replaces the single-broker default). */
  heapOpts: string;
}

export interface BrokerSetup {
  version: string;
  port: number;
  controllerPort: number;
  saslPort: number | undefined;
  sslPort: number | undefined;
  dataDir: string;
  temporary: boolean;
  options: StartKafkaBrokerOptions;
  cluster?: ClusterMembership;
}

/** A node of a cluster, not yet prepared nor started (kafka-cluster.ts drives the steps itself). */
export function createKafkaNode(setup: BrokerSetup): KafkaBroker & { prepare(reuseData: boolean): Promise<void> } {
  return new LocalKafkaBroker(setup);
}

class LocalKafkaBroker implements KafkaBroker {
  readonly version: string;
  readonly nodeId: number;
  readonly bootstrap: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly saslBootstrap: string | undefined;
  readonly sasl: SASLOptions | undefined;
  readonly sslBootstrap: string | undefined;
  ssl: { ca: string[] } | undefined;
  readonly dataDir: string;
  readonly logFile: string;
  startupMs = 0;

  private readonly setup: BrokerSetup;
  private readonly propertiesFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private readonly exitListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
  private logFlag = '';
  private offsetsPartitions = '1';
  /** Class list recorded by this broker's first start (see broker-class-data-sharing.ts). */
  private cdsRecording: { buildArchive: () => Promise<void>; discard: () => void; complete: boolean } | undefined;
  private cdsRecorded = false;

  constructor(setup: BrokerSetup) {
    this.setup = setup;
    this.version = setup.version;
    this.nodeId = setup.cluster?.nodeId ?? 1;
    this.port = setup.port;
    this.controllerPort = setup.controllerPort;
    this.bootstrap = `${HOST}:${setup.port}`;
    this.saslBootstrap = setup.saslPort === undefined ? undefined : `${HOST}:${setup.saslPort}`;
    const sasl = setup.options.sasl;
    // kafkajs' SASLOptions is a union keyed by mechanism; the literal types line up.
    this.sasl = sasl ? ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions) : undefined;
    this.sslBootstrap = setup.sslPort === undefined ? undefined : `${HOST}:${setup.sslPort}`;
    this.dataDir = setup.dataDir;
    this.logFile = path.join(setup.dataDir, 'broker.log');
    this.propertiesFile = path.join(setup.dataDir, 'server.properties');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  isRunning(): boolean {
    return this.child !== undefined;
  }

  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitListeners.push(listener);
  }

  /** Writes server.properties and the logging config, and formats the KRaft storage. */
  async prepare(reuseData: boolean): Promise<void> {
    const { version, options } = this.setup;
    const logDir = path.join(this.dataDir, 'kraft-logs');
    mkdirSync(this.dataDir, { recursive: true });
    let ssl: { port: number; keystoreFile: string } | undefined;
    if (this.setup.sslPort !== undefined) {
      const tlsDir = path.join(this.dataDir, 'tls');
      mkdirSync(tlsDir, { recursive: true });
      const tls = await createTestTls(tlsDir);
      this.ssl = { ca: [tls.caPem] };
      ssl = { port: this.setup.sslPort, keystoreFile: tls.keystoreFile };
    }
    const props = brokerProperties({
      version,
      nodeId: this.nodeId,
      host: HOST,
      ...(this.setup.cluster ? { quorumVoters: this.setup.cluster.voters } : {}),
      port: this.port,
      controllerPort: this.controllerPort,
      ...(this.setup.saslPort === undefined ? {} : { saslPort: this.setup.saslPort }),
      ...(ssl === undefined ? {} : { ssl }),
      logDir,
      autoCreateTopics: options.autoCreateTopics ?? false,
      ...(options.properties ? { overrides: options.properties } : {}),
    });
    writeFileSync(this.propertiesFile, formatProperties(props));
    this.offsetsPartitions = props['offsets.topic.num.partitions'] ?? '50';
    this.logFlag = writeKafkaLoggingConfig(this.dataDir, version, 'INFO', 'System.out');

    const formatted = existsSync(path.join(logDir, 'meta.properties'));
    if (formatted && reuseData) return;
    if (formatted) rmSync(logDir, { recursive: true, force: true });
    const args = ['format', '-t', this.setup.cluster?.clusterId ?? newClusterId(), '-c', this.propertiesFile];
    if (options.sasl) {
      args.push('--add-scram', scramFormatArgument(options.sasl.mechanism, options.sasl.username, options.sasl.password));
    }
    const result = await runKafkaJavaTool(version, STORAGE_TOOL_CLASS, args, { logLevel: 'WARN', timeoutMs: 120_000 });
    writeFileSync(path.join(this.dataDir, 'format.log'), Buffer.concat([result.stdout, Buffer.from(result.stderr)]));
  }

  async start(): Promise<void> {
    if (this.child) throw new KafkaHarnessError(`broker ${this.bootstrap} is already running (pid ${this.child.pid})`);
    const { options, version } = this.setup;
    const started = Date.now();
    const classpath = kafkaClasspath(version);
    const cds = planClassDataSharing(version, classpath, options.buildStartupArchive === true && !this.cdsRecorded);
    this.cdsRecorded = true;
    const recording = cds.recording ? { ...cds.recording, complete: false } : undefined;
    if (recording) this.cdsRecording = recording;
    const logFd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      writeFileSync(logFd, `\n===== [kafka-harness] starting Kafka ${version} at ${new Date().toISOString()} =====\n`);
      child = spawn(
        javaCommand(),
        [
          ...brokerJvmOptions(options.fastStart ?? true, process.env, this.setup.cluster?.heapOpts),
          ...cds.jvmFlags,
          this.logFlag,
          '-cp',
          classpath,
          'kafka.Kafka',
          this.propertiesFile,
        ],
        // The JVM writes straight into the log file: nothing goes through (or waits on) Node.
        { stdio: ['ignore', logFd, logFd], cwd: this.dataDir, env: brokerEnv() },
      );
    } finally {
      closeSync(logFd);
    }
    let spawnError: Error | undefined;
    let exitReason: string | undefined;
    child.on('error', (err) => {
      spawnError = err;
      exitReason = `cannot start java: ${err.message}`;
    });
    this.child = child;
    this.expectingExit = false;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitReason ??= `process exited with ${code ?? signal}`;
        // The class list is flushed at JVM exit: complete after a controlled shutdown (exit 0 or 143).
        if (recording && this.expectingExit && (code === 0 || code === 143)) recording.complete = true;
        if (this.child === child) this.child = undefined;
        if (!this.expectingExit) for (const l of this.exitListeners) l(code, signal);
        resolve();
      });
      // 'exit' never comes when spawn itself failed.
      child.once('error', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    guardChild(child);
    options.log?.(`[kafka-harness] Kafka ${version} starting on ${this.bootstrap} (pid ${child.pid}, log ${this.logFile})`);
    try {
      const timeoutMs = options.startTimeoutMs ?? 120_000;
      await waitForBroker(this.bootstrap, { timeoutMs, abortReason: () => exitReason, ...(this.setup.cluster ? { nodeId: this.nodeId } : {}) });
      // A cluster warms its coordinator up once all nodes are up: __consumer_offsets needs every replica.
      if (!this.setup.cluster) {
        await warmUpGroupCoordinator(this.bootstrap, {
          offsetsPartitions: Number(this.offsetsPartitions),
          timeoutMs: Math.max(1000, timeoutMs - (Date.now() - started)),
        });
      }
    } catch (err) {
      await this.kill();
      const hint = spawnError ? ' (is a JDK installed? scripts/install-system-deps.sh)' : '';
      throw new KafkaHarnessError(
        `Kafka ${version} did not start on ${this.bootstrap}${hint}: ${err instanceof Error ? err.message : String(err)}\n--- ${this.logFile} (tail) ---\n${this.logTail(40)}`,
        { cause: err },
      );
    }
    this.startupMs = Date.now() - started;
    options.log?.(`[kafka-harness] Kafka ${version} ready on ${this.bootstrap} in ${this.startupMs} ms`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill('SIGTERM');
    const timeoutMs = this.setup.options.stopTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.setup.options.log?.(`[kafka-harness] broker ${this.bootstrap} ignored SIGTERM for ${timeoutMs} ms: SIGKILL`);
      await this.kill();
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop();
    const cds = this.cdsRecording;
    this.cdsRecording = undefined;
    if (cds?.complete) await cds.buildArchive().catch(() => undefined);
    else cds?.discard();
    if (this.setup.temporary && process.env['KAFKA_TEST_KEEP_DATA'] !== '1') {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Kafka's launch scripts read these; the harness sets every JVM flag itself, so drop inherited ones. */
function brokerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['KAFKA_OPTS', 'KAFKA_HEAP_OPTS', 'KAFKA_JVM_PERFORMANCE_OPTS', 'KAFKA_LOG4J_OPTS', 'JAVA_TOOL_OPTIONS']) {
    delete env[name];
  }
  return env;
}
