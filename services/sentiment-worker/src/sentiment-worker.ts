import type { Registry } from 'prom-client';
import { describeError, KafkaError } from '@sentiment/errors';
import { defaultDecodeLimits } from '@sentiment/events';
import { createHttpApp, startHttpServer, type HealthReport, type ReadinessReport, type RunningHttpServer } from '@sentiment/http';
import { AsyncBatchConsumer, compressionFromName, createKafkaClient, describeClientOptions, registerCompressionCodecs, ResultProducer } from '@sentiment/kafka';
import { createBatchTracer, createMetricsRegistry, createWorkerMetrics, type Logger, type WorkerMetrics } from '@sentiment/observability';
import { createSchemaRegistrySetup } from '@sentiment/schema-registry';
import { BatchProcessor } from './batch-processor';
import { describeConfig, type WorkerConfig } from './config';
import { createAnalyzeHandler } from './analyze-handler';
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

/**
 * Wires the parts in start-up order: metrics, scorer, HTTP API (answers at once, even while
 * Kafka is unreachable), producer, consumer, pipeline. Stops in the reverse order.
 */
export async function startSentimentWorker(config: WorkerConfig, logger: Logger): Promise<WorkerHandle> {
  const env = config.env;
  const log = logger.child({ component: 'worker' });
  const startedAt = Date.now();
  log.info('starting', { version: SERVICE_VERSION, config: describeConfig(config), kafka: describeClientOptions(config.kafka) });

  registerCompressionCodecs();
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

  const kafka = createKafkaClient(config.kafka, logger);
  const exactlyOnce = env.PROCESSING_MODE === 'exactly-once';
  const producer = new ResultProducer(
    kafka,
    {
      compression: compressionFromName(env.OUTPUT_COMPRESSION),
      maxAttempts: env.PRODUCE_MAX_ATTEMPTS,
      retryBackoffMs: { initial: env.PRODUCE_RETRY_BACKOFF_MS, max: env.PRODUCE_RETRY_BACKOFF_MS * 32 },
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
      maxRequestBytes: env.PRODUCE_MAX_REQUEST_BYTES,
      ...(config.transactionalId ? { transactionalId: config.transactionalId } : {}),
    },
    logger,
  );
  producer.onRetry = () => metrics.produceRetries.inc();

  const consumer = new AsyncBatchConsumer(
    kafka,
    {
      groupId: env.KAFKA_GROUP_ID,
      topics: [env.INPUT_TOPIC],
      fromBeginning: env.KAFKA_FROM_BEGINNING,
      maxInFlightBatches: exactlyOnce ? 1 : env.MAX_IN_FLIGHT_BATCHES,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS,
      maxBytesPerPartition: env.KAFKA_MAX_BYTES_PER_PARTITION,
      maxBytes: env.KAFKA_MAX_BYTES,
      readUncommitted: false,
      maxRestarts: env.CONSUMER_MAX_RESTARTS,
    },
    logger,
  );
  consumer.on('crash', ({ retriable }) => metrics.consumerCrashes.inc({ retriable: String(retriable) }));
  consumer.on('restart', () => metrics.consumerRestarts.inc());
  consumer.on('fatal', (err) => {
    fatalError = err;
    resolveFatal(err);
  });

  const limits = { ...defaultDecodeLimits, maxMessageBytes: env.MAX_MESSAGE_BYTES, maxTextChars: env.MAX_TEXT_CHARS, maxJsonDepth: env.MAX_JSON_DEPTH };
  // Issue 16 hooks: each is undefined unless configured (SCHEMA_REGISTRY_URL, OUTPUT_FORMAT, OTEL_EXPORTER_OTLP_*).
  const registryParts = await createSchemaRegistrySetup({
    registry: config.schemaRegistry,
    inputFormat: env.INPUT_FORMAT,
    outputTopic: env.OUTPUT_FORMAT === 'registry' ? env.OUTPUT_TOPIC : undefined,
    limits,
    listener: { onFetch: (_id, outcome, _attempts, ms) => (metrics.schemaLookups.inc({ outcome }), metrics.schemaLookupDuration.observe(ms / 1000)) },
  });
  if (registryParts.resultEncoder) log.info('results are registry-framed', { subject: registryParts.resultEncoder.subject, schemaId: registryParts.resultEncoder.schemaId });
  const tracer = await createBatchTracer(config.tracing);
  if (tracer) log.info('exporting spans', { endpoint: config.tracing?.tracesEndpoint });

  const processor = new BatchProcessor(
    {
      outputTopic: env.OUTPUT_TOPIC,
      dlqTopic: env.DLQ_TOPIC,
      groupId: env.KAFKA_GROUP_ID,
      limits,
      dlqMaxValueBytes: env.DLQ_MAX_VALUE_BYTES,
      workerVersion: SERVICE_VERSION,
      instanceId: config.instanceId,
      exactlyOnce,
    },
    engine,
    producer,
    metrics,
    logger.child({ component: 'pipeline' }),
    { inputDecoder: registryParts.inputDecoder, resultEncoder: registryParts.resultEncoder, tracer },
  );
  const pipeline = new Pipeline(
    consumer,
    processor,
    { maxInFlight: exactlyOnce ? 1 : env.MAX_IN_FLIGHT_BATCHES, exactlyOnce },
    metrics,
    logger.child({ component: 'pipeline' }),
  );

  const ready = (): ReadinessReport => {
    const reasons: string[] = [];
    if (stopping) reasons.push('shutting down');
    if (fatalError) reasons.push(`consumer stopped for good: ${fatalError.message}`);
    const state = consumer.getState();
    if (state.phase !== 'joined') reasons.push(`kafka consumer not in its group (${state.phase})`);
    // kafkajs stays "joined" while it retries a lost connection: no answer for a while means the broker is gone.
    else if (!state.inContact) reasons.push(`kafka broker has not answered the consumer since ${state.lastContactAt ?? 'start-up'}`);
    if (!producer.isConnected()) reasons.push(connectError ? `kafka producer not connected: ${connectError.code}: ${connectError.message}` : 'kafka producer not connected');
    const ok = reasons.length === 0;
    const connected = state.phase === 'joined' && state.inContact;
    metrics.ready.set(ok ? 1 : 0);
    metrics.kafkaConnected.set(connected ? 1 : 0);
    return { ready: ok, reasons };
  };

  const health = (): HealthReport => {
    const state = consumer.getState();
    const scorer = engine.health();
    const reasons: string[] = [];
    if (scorer.status === 'degraded') {
      reasons.push(scorer.degradedReason ? `scorer degraded: ${scorer.degradedReason.message}` : `model circuit ${scorer.breaker?.state ?? 'open'}`);
    }
    if (state.phase === 'crashed' || state.phase === 'restarting') reasons.push(`kafka consumer ${state.phase}: ${String(state.lastError?.['message'] ?? '')}`);
    else if (state.lastCrashAt && (!state.lastStableAt || state.lastStableAt < state.lastCrashAt)) {
      // Rejoined after a crash but no batch has completed since (nor has it idled stably in its
      // group): it may be crashing on the same input.
      reasons.push(`kafka consumer crashed at ${state.lastCrashAt} and has not completed a batch since: ${String(state.lastError?.['message'] ?? '')}`);
    }
    else if (state.phase !== 'joined' && !stopping) reasons.push(`kafka consumer ${state.phase}`);
    else if (!state.inContact && !stopping) reasons.push(`kafka broker has not answered since ${state.lastContactAt ?? 'start-up'}`);
    if (connectError && !producer.isConnected()) reasons.push(`kafka producer cannot connect: ${connectError.code}: ${connectError.message}`);
    const status = fatalError ? 'fatal' : reasons.length > 0 ? 'degraded' : 'ok';
    if (fatalError) reasons.unshift(fatalError.message);
    return {
      status,
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      scorer: {
        active: scorer.status === 'ok' ? scorer.primary : scorer.fallback,
        model_loaded: engine.modelLoaded,
        ...(scorer.degradedReason ? { degraded_reason: `${scorer.degradedReason.code}: ${scorer.degradedReason.message}` } : {}),
        ...(scorer.breaker
          ? {
              breaker: {
                state: scorer.breaker.state,
                failures: scorer.breaker.consecutiveFailures,
                ...(scorer.breaker.retryAt ? { retry_at: scorer.breaker.retryAt } : {}),
              },
            }
          : {}),
      },
      kafka: {
        connected: state.connected && state.inContact,
        consumer: {
          state: toHealthConsumerState(state.phase),
          group_id: env.KAFKA_GROUP_ID,
          topics: [env.INPUT_TOPIC],
          assignment: state.assignment,
          crashes: state.crashes,
          restarts: state.restarts,
          ...(state.lastBatchAt ? { last_batch_at: state.lastBatchAt } : {}),
          ...(state.lastError ? { last_error: state.lastError } : {}),
        },
        producer: { connected: producer.isConnected() },
      },
      processing_mode: env.PROCESSING_MODE,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      ...(reasons.length > 0 ? { reasons } : {}),
    };
  };

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
  const kafkaUp = (async () => {
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
    pipeline.start();
    await consumer.start();
  })().catch((err: unknown) => log.error('kafka start-up failed', { error: describeError(err) }));

  let stopPromise: Promise<void> | undefined;
  const stop = (reason = 'stop requested'): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true;
      const deadline = Date.now() + env.SHUTDOWN_TIMEOUT_MS;
      const left = () => Math.max(1000, deadline - Date.now());
      log.info('stopping', { reason, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
      // Order: stop fetching and finish in-flight batches (they commit), leave the group,
      // flush the producer, then close scoring and HTTP last so /health answers throughout.
      await consumer.close({ timeoutMs: left() }).catch((err: unknown) => log.warn('consumer close failed', { error: describeError(err) }));
      await withTimeout(pipeline.done(), left()).catch(() => undefined);
      await kafkaUp;
      await withTimeout(producer.disconnect(), left()).catch(() => undefined);
      if (tracer) await withTimeout(tracer.shutdown(), left()).catch((err: unknown) => log.warn('span export at shutdown failed', { error: describeError(err) }));
      await withTimeout(engine.close(), left()).catch((err: unknown) => log.warn('scorer close failed', { error: describeError(err) }));
      await server.close().catch(() => undefined);
      log.info('stopped');
    })();
    return stopPromise;
  };

  return { port: server.port, registry, health, ready, stop, fatal };
}

function toHealthConsumerState(phase: string): 'starting' | 'running' | 'rebalancing' | 'stopping' | 'stopped' | 'crashed' {
  switch (phase) {
    case 'joined':
      return 'running';
    case 'rebalancing':
      return 'rebalancing';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'crashed':
    case 'restarting':
    case 'fatal':
      return 'crashed';
    default:
      return 'starting';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
