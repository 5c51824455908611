import type { Registry } from 'prom-client';
import { deadline, describeError, KafkaError } from '@sentiment/errors';
import { DeadLetterHeaders, defaultDecodeLimits } from '@sentiment/events';
import { createHttpApp, startHttpServer, type HealthReport, type ReadinessReport, type RunningHttpServer } from '@sentiment/http';
import { ConsumerLagReader, createKafkaPort, describeClientOptions, RECORD_BATCH_OVERHEAD_BYTES, TopicLimitsWatcher } from '@sentiment/kafka';
import { createBatchTracer, createMetricsRegistry, createWorkerMetrics, type Logger, type WorkerMetrics } from '@sentiment/observability';
import { createSchemaRegistrySetup } from '@sentiment/schema-registry';
import { BatchPool, defaultBatchPoolThreads } from './batch/batch-pool';
import { BatchProcessor } from './batch-processor';
import { describeConfig, type WorkerConfig } from './config';
import { createAnalyzeHandler } from './analyze-handler';
import { BROKER_ACK_STALL_MS, consumerInContact, healthReport, readinessReport, type WorkerIdentity, type WorkerProbes } from './health-report';
import { PendingSince } from './pending-since';
import { Pipeline } from './pipeline';
import { createScoringEngine, type ScoringEngine } from './scoring-engine';
import { SERVICE_NAME, SERVICE_VERSION } from './version';

export interface WorkerHandle {
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  registry: Registry;
  health(): HealthReport;
  ready(): ReadinessReport;
  /** Graceful, idempotent stop; resolves when everything is closed. */
  stop(reason?: string): Promise<void>;
  /** Resolves with an exit code when the worker cannot go on (fatal consumer crash). */
  fatal: Promise<KafkaError>;
}

/** What stop() keeps of SHUTDOWN_TIMEOUT_MS for closing the HTTP server last. */
const HTTP_CLOSE_RESERVE_MS = 500;

/**
 * Wires the parts in start-up order: metrics, scorer, HTTP API (answers at once, even while
 * Kafka is unreachable), producer, consumer, pipeline. Stops in the reverse order.
 */
export async function startSentimentWorker(config: WorkerConfig, logger: Logger): Promise<WorkerHandle> {
  const env = config.env;
  const log = logger.child({ component: 'worker' });
  const startedAt = Date.now();
  log.info('starting', { version: SERVICE_VERSION, config: describeConfig(config), kafkaClient: config.kafkaClient, kafka: describeClientOptions(config.kafka) });

  const port = createKafkaPort(config.kafkaClient, config.kafka, logger);
  const registry = createMetricsRegistry({ defaultLabels: { service: SERVICE_NAME } });
  const metrics: WorkerMetrics = createWorkerMetrics(registry);
  const engine: ScoringEngine = await createScoringEngine(env, logger, metrics);

  let stopping = false;
  let fatalError: KafkaError | undefined;
  // Why the producer cannot connect (wrong credentials, unreachable broker): /health and /ready say so.
  let connectError: KafkaError | undefined;
  let resolveFatal: (err: KafkaError) => void = () => undefined;
  const fatal = new Promise<KafkaError>((resolve) => {
    resolveFatal = resolve;
  });

  const exactlyOnce = env.PROCESSING_MODE === 'exactly-once';
  const admin = port.createAdmin(logger);
  // What the output and dead-letter topics accept, read at start-up and every 30 s: results and
  // dead letters are bounded to it (docs/events.md).
  const topicLimits = new TopicLimitsWatcher(admin, [env.OUTPUT_TOPIC, env.DLQ_TOPIC], logger.child({ component: 'topic-limits' }));
  const producer = port.createProducer(
    {
      compression: env.OUTPUT_COMPRESSION,
      maxAttempts: env.PRODUCE_MAX_ATTEMPTS,
      retryBackoffMs: { initial: env.PRODUCE_RETRY_BACKOFF_MS, max: env.PRODUCE_RETRY_BACKOFF_MS * 32 },
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
      maxRequestBytes: env.PRODUCE_MAX_REQUEST_BYTES,
      transactionalId: config.transactionalId,
      nullHeaderNamesHeader: DeadLetterHeaders.nullHeaders,
    },
    topicLimits,
    logger,
  );
  // A failed produce attempt (a retry follows): until a batch completes after it, results cannot be
  // delivered, while the client still says "connected" (a partition leader gone, too few in-sync replicas).
  let lastProduceFailureAt = 0;
  producer.onRetry = () => {
    metrics.produceRetries.inc();
    lastProduceFailureAt = Date.now();
  };
  // Sends not yet acknowledged, by start: a client retries a dead partition leader inside one send for
  // many seconds before an attempt fails, and a batch has results for most output partitions.
  const pendingSends = new PendingSince();
  const send = producer.send.bind(producer);
  const sendInTransaction = producer.sendInTransaction.bind(producer);
  producer.send = (batches) => pendingSends.track(() => send(batches));
  producer.sendInTransaction = (batches, offsets) => pendingSends.track(() => sendInTransaction(batches, offsets));
  const cannotDeliver = (lastBatchAt: string | undefined): string | undefined => {
    if (lastProduceFailureAt > 0 && !(lastBatchAt && Date.parse(lastBatchAt) >= lastProduceFailureAt)) {
      return `kafka producer cannot deliver: an attempt failed at ${new Date(lastProduceFailureAt).toISOString()} and no batch has completed since`;
    }
    const waited = pendingSends.oldestWaitMs();
    return waited > BROKER_ACK_STALL_MS ? `kafka producer cannot deliver: a send has waited ${Math.round(waited / 1000)} s for the broker` : undefined;
  };

  const consumer = port.createConsumer(config.consumer, logger);
  consumer.on('crash', ({ retriable }) => metrics.consumerCrashes.inc({ retriable: String(retriable) }));
  consumer.on('restart', () => metrics.consumerRestarts.inc());
  // sentiment_consumer_lag: committed offset vs high watermark of the assigned partitions (docs/metrics.md).
  const lagLabels = (partition: number) => ({ topic: env.INPUT_TOPIC, partition: String(partition) });
  const lagReader = new ConsumerLagReader(admin, { groupId: env.KAFKA_GROUP_ID, topic: env.INPUT_TOPIC, fromBeginning: env.KAFKA_FROM_BEGINNING }, {
    onLag: (partition, lag) => metrics.consumerLag.set(lagLabels(partition), lag),
    onRemove: (partition) => metrics.consumerLag.remove(lagLabels(partition)),
  }, logger);
  consumer.on('joined', (assignment) => lagReader.setAssignment(assignment[env.INPUT_TOPIC] ?? []));
  consumer.on('fatal', (err) => {
    fatalError = err;
    resolveFatal(err);
  });

  const decodeLimits = { ...defaultDecodeLimits, maxMessageBytes: env.MAX_MESSAGE_BYTES, maxTextChars: env.MAX_TEXT_CHARS, maxJsonDepth: env.MAX_JSON_DEPTH };
  // Each is undefined unless configured (SCHEMA_REGISTRY_URL, OUTPUT_FORMAT, OTEL_EXPORTER_OTLP_*).
  const registryParts = await createSchemaRegistrySetup({
    registry: config.schemaRegistry,
    inputFormat: env.INPUT_FORMAT,
    outputTopic: env.OUTPUT_FORMAT === 'registry' ? env.OUTPUT_TOPIC : undefined,
    limits: decodeLimits,
    listener: { onFetch: (_id, outcome, _attempts, ms) => (metrics.schemaLookups.inc({ outcome }), metrics.schemaLookupDuration.observe(ms / 1000)) },
  });
  if (registryParts.resultEncoder) log.info('results are registry-framed', { subject: registryParts.resultEncoder.subject, schemaId: registryParts.resultEncoder.schemaId });
  const tracer = await createBatchTracer(config.tracing);
  if (tracer) log.info('exporting spans', { endpoint: config.tracing?.tracesEndpoint });

  // The pool runs VADER on plain JSON; while RoBERTa serves, scoring is in the inference threads
  // already, and registry framing and batch spans are the main-thread steps' (BatchProcessor).
  const poolFits = engine.activeScorer === 'vader' && !registryParts.inputDecoder && !registryParts.resultEncoder && !tracer;
  const batchPool =
    env.BATCH_PROCESSING === 'worker-pool' && poolFits
      ? new BatchPool(
          {
            decodeLimits,
            vaderLowConfidenceThreshold: env.VADER_LOW_CONFIDENCE_THRESHOLD,
            workerVersion: SERVICE_VERSION,
            instanceId: config.instanceId,
            outputTopic: env.OUTPUT_TOPIC,
            recordOverheadBytes: RECORD_BATCH_OVERHEAD_BYTES,
          },
          env.BATCH_POOL_THREADS > 0 ? env.BATCH_POOL_THREADS : defaultBatchPoolThreads(),
        )
      : undefined;
  // Loaded before the API answers, as the scorer is: the first batches run at full speed.
  await batchPool?.warmUp();
  log.info('batch processing', { where: batchPool ? 'worker-pool' : 'main-thread', threads: batchPool?.threads ?? 0 });
  const processor = new BatchProcessor(
    {
      outputTopic: env.OUTPUT_TOPIC,
      dlqTopic: env.DLQ_TOPIC,
      groupId: env.KAFKA_GROUP_ID,
      decodeLimits,
      dlqMaxValueBytes: env.DLQ_MAX_VALUE_BYTES,
      workerVersion: SERVICE_VERSION,
      instanceId: config.instanceId,
      exactlyOnce,
    },
    engine,
    producer,
    topicLimits,
    metrics,
    logger.child({ component: 'pipeline' }),
    { inputDecoder: registryParts.inputDecoder, resultEncoder: registryParts.resultEncoder, tracer, pool: batchPool },
  );
  const pipeline = new Pipeline(
    consumer,
    processor,
    { maxInFlight: config.consumer.maxInFlightBatches ?? env.MAX_IN_FLIGHT_BATCHES, exactlyOnce },
    metrics,
    logger.child({ component: 'pipeline' }),
  );

  const identity: WorkerIdentity = { service: SERVICE_NAME, version: SERVICE_VERSION, groupId: env.KAFKA_GROUP_ID, topics: [env.INPUT_TOPIC], processingMode: env.PROCESSING_MODE };
  const probes = (): WorkerProbes => {
    const state = consumer.getState();
    return {
    consumer: state,
    commitWaitingMs: pipeline.commitWaitingMs(),
    producer: { connected: producer.isConnected(), connectError, cannotDeliver: cannotDeliver(state.lastBatchAt) },
    scorer: engine.health(),
    modelLoaded: engine.modelLoaded,
    stopping,
    fatalError,
    uptimeMs: Date.now() - startedAt,
    };
  };
  const ready = (): ReadinessReport => {
    const now = probes();
    const report = readinessReport(now);
    metrics.ready.set(report.ready ? 1 : 0);
    metrics.kafkaConnected.set(consumerInContact(now.consumer) ? 1 : 0);
    return report;
  };
  const health = (): HealthReport => healthReport(identity, probes());

  const app = createHttpApp({
    service: { name: SERVICE_NAME, version: SERVICE_VERSION },
    health,
    ready,
    registry,
    analyze: createAnalyzeHandler(engine),
    logger: logger.child({ component: 'http' }),
    options: {
      maxBodyBytes: env.HTTP_MAX_BODY_BYTES,
      maxBatchTexts: env.ANALYZE_MAX_TEXTS,
      maxTextChars: env.ANALYZE_MAX_TEXT_CHARS,
      rateLimitWindowMs: env.RATE_LIMIT_WINDOW_MS,
      rateLimitMax: env.RATE_LIMIT_MAX,
      trustProxy: env.TRUST_PROXY,
      analyzeTimeoutMs: env.MODEL_TIMEOUT_MS,
    },
  });
  const server: RunningHttpServer = await startHttpServer(app, { port: env.PORT, host: env.HOST, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS });
  log.info('http api listening', { port: server.port, host: env.HOST });

  // Kafka comes up in the background: the API already answers, /ready says why it is not ready.
  void (async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await producer.connect();
        connectError = undefined;
        break;
      } catch (err) {
        connectError = err instanceof KafkaError ? err : new KafkaError('KAFKA_CONNECTION', String(err), { cause: err, retriable: true });
        const delay = Math.min(30000, 500 * 2 ** Math.min(attempt, 6));
        log.warn('kafka producer cannot connect yet; retrying', { attempt, delayMs: delay, error: describeError(err) });
        await new Promise<void>((r) => setTimeout(r, delay).unref());
      }
    }
    if (stopping) return;
    await topicLimits.start();
    if (stopping) return;
    pipeline.start();
    lagReader.start();
    await consumer.start();
  })().catch((err: unknown) => log.error('kafka start-up failed', { error: describeError(err) }));

  let stopPromise: Promise<void> | undefined;
  const stop = (reason = 'stop requested'): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true;
      // One deadline for everything, whatever phase Kafka is in (connecting, joining, running,
      // restarting): each step gets what is left of it, and HTTP keeps a moment at the end so
      // /health answers until the last step. The consumer's start-up is never awaited here.
      const until = deadline(Math.max(0, env.SHUTDOWN_TIMEOUT_MS - HTTP_CLOSE_RESERVE_MS));
      log.info('stopping', { reason, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
      // Order: stop fetching and finish in-flight batches (they commit), leave the group,
      // flush the producer, then close scoring and HTTP last.
      await consumer.close({ timeoutMs: until.remainingMs() }).catch((err: unknown) => log.warn('consumer close failed', { error: describeError(err) }));
      await until.race(pipeline.done());
      topicLimits.stop();
      await until.race(lagReader.stop());
      await until.race(producer.disconnect());
      if (tracer) await until.race(tracer.shutdown().catch((err: unknown) => log.warn('span export at shutdown failed', { error: describeError(err) })));
      await until.race(admin.disconnect());
      await until.race(engine.close().catch((err: unknown) => log.warn('scorer close failed', { error: describeError(err) })));
      if (batchPool) await until.race(batchPool.close().catch((err: unknown) => log.warn('batch pool close failed', { error: describeError(err) })));
      until.clear();
      await deadline(HTTP_CLOSE_RESERVE_MS).race(server.close().catch(() => undefined));
      log.info('stopped');
    })();
    return stopPromise;
  };

  return { port: server.port, registry, health, ready, stop, fatal };
}
