import { collectDefaultMetrics, Registry } from 'prom-client';
import { ensureCounter, ensureGauge, ensureHistogram } from './metric-factory';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SCORING_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];
const QUEUE_WAIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_TOKEN_BUCKETS = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const BATCH_TEXT_BUCKETS = [1, 2, 4, 8, 16, 24, 32, 48, 64, 128];
const BATCH_CALL_BUCKETS = [1, 2, 3, 4, 6, 8, 12, 16];

/**
 * Every metric the worker exports (documented in docs/metrics.md). Created once per registry.
 */
export function createWorkerMetrics(registry: Registry) {
  return {
    messagesConsumed: ensureCounter(registry, {
      name: 'sentiment_messages_consumed_total',
      help: 'Input messages received from Kafka.',
      labelNames: ['topic'] as const,
    }),
    messagesProcessed: ensureCounter(registry, {
      name: 'sentiment_messages_processed_total',
      help: 'Input messages whose outcome (result or dead letter) the broker acknowledged.',
      labelNames: ['outcome'] as const,
    }),
    deadLetters: ensureCounter(registry, {
      name: 'sentiment_dead_letters_total',
      help: 'Input messages sent to the dead-letter topic, by reason code.',
      labelNames: ['reason'] as const,
    }),
    resultsTruncated: ensureCounter(registry, {
      name: 'sentiment_results_truncated_total',
      help: "Results that left out per-segment detail, speakers or metadata to fit the output topic's max.message.bytes (their `truncated` field says what).",
    }),
    refusedBatches: ensureCounter(registry, {
      name: 'sentiment_refused_batches_total',
      help: 'Record batches not decompressed because they would inflate past KAFKA_MAX_DECOMPRESSED_BATCH_BYTES (each dead-lettered as one DECOMPRESSION_LIMIT record), by codec.',
      labelNames: ['codec'] as const,
    }),
    results: ensureCounter(registry, {
      name: 'sentiment_results_total',
      help: 'Results produced, by label and by the scorer that produced them.',
      labelNames: ['label', 'scorer'] as const,
    }),
    scoringDuration: ensureHistogram(registry, {
      name: 'sentiment_scoring_duration_seconds',
      help: 'Time to score one consumed batch (all its texts), by scorer.',
      labelNames: ['scorer'] as const,
      buckets: SCORING_BUCKETS,
    }),
    batchSize: ensureHistogram(registry, {
      name: 'sentiment_batch_size',
      help: 'Messages per consumed batch.',
      buckets: BATCH_BUCKETS,
    }),
    endToEndLatency: ensureHistogram(registry, {
      name: 'sentiment_end_to_end_latency_seconds',
      help: 'From the input message timestamp to the broker acknowledging its result.',
      buckets: LATENCY_BUCKETS,
    }),
    batchDuration: ensureHistogram(registry, {
      name: 'sentiment_batch_duration_seconds',
      help: 'From receiving a batch to committing its offsets.',
      buckets: LATENCY_BUCKETS,
    }),
    scorerActive: ensureGauge(registry, {
      name: 'sentiment_scorer_active',
      help: '1 for the scorer currently serving as primary, 0 otherwise.',
      labelNames: ['scorer'] as const,
    }),
    scorerFallbacks: ensureCounter(registry, {
      name: 'sentiment_scorer_fallbacks_total',
      help: 'Texts scored by the fallback scorer because the primary could not be used, by reason.',
      labelNames: ['reason'] as const,
    }),
    breakerState: ensureGauge(registry, {
      name: 'sentiment_model_circuit_state',
      help: 'Model circuit breaker: 0 closed, 1 half-open, 2 open.',
    }),
    consumerCrashes: ensureCounter(registry, {
      name: 'sentiment_consumer_crashes_total',
      help: 'Kafka consumer crashes, by whether kafkajs judged them retriable.',
      labelNames: ['retriable'] as const,
    }),
    consumerRestarts: ensureCounter(registry, {
      name: 'sentiment_consumer_restarts_total',
      help: 'Times the worker recreated its Kafka consumer after a crash.',
    }),
    consumerLag: ensureGauge(registry, {
      name: 'sentiment_consumer_lag',
      help: 'Messages behind the partition high watermark, as of the last batch.',
      labelNames: ['topic', 'partition'] as const,
    }),
    kafkaConnected: ensureGauge(registry, {
      name: 'sentiment_kafka_connected',
      help: '1 when the consumer is connected and in its group, else 0.',
    }),
    ready: ensureGauge(registry, {
      name: 'sentiment_ready',
      help: '1 when /ready answers 200.',
    }),
    schemaLookups: ensureCounter(registry, {
      name: 'sentiment_schema_registry_lookups_total',
      help: 'Schema lookups that reached the Schema Registry (cache misses), by outcome: ok, not_found, unavailable, unsupported.',
      labelNames: ['outcome'] as const,
    }),
    schemaLookupDuration: ensureHistogram(registry, {
      name: 'sentiment_schema_registry_lookup_seconds',
      help: 'Time of one schema lookup through the registry, retries included.',
      buckets: LATENCY_BUCKETS,
    }),
    produceRetries: ensureCounter(registry, {
      name: 'sentiment_produce_retries_total',
      help: 'Retries of producing a batch of results (after kafkajs own retries failed).',
    }),
    inferenceQueueDepth: ensureGauge(registry, {
      name: 'sentiment_inference_queue_depth',
      help: 'Texts waiting in the process-wide inference queue for a micro-batch (RoBERTa).',
    }),
    inferenceQueueWait: ensureHistogram(registry, {
      name: 'sentiment_inference_queue_wait_seconds',
      help: 'How long the oldest text of each micro-batch waited in the inference queue.',
      buckets: QUEUE_WAIT_BUCKETS,
    }),
    inferenceBatchTokens: ensureHistogram(registry, {
      name: 'sentiment_inference_batch_tokens',
      help: 'Padded tokens (texts x longest text) per inference micro-batch, the budget MODEL_MAX_BATCH_TOKENS bounds.',
      buckets: BATCH_TOKEN_BUCKETS,
    }),
    inferenceBatchTexts: ensureHistogram(registry, {
      name: 'sentiment_inference_batch_texts',
      help: 'Texts per inference micro-batch.',
      buckets: BATCH_TEXT_BUCKETS,
    }),
    inferenceBatchCalls: ensureHistogram(registry, {
      name: 'sentiment_inference_batch_calls',
      help: 'Scorer calls (consumed batches, /analyze requests) an inference micro-batch held texts of.',
      buckets: BATCH_CALL_BUCKETS,
    }),
    inFlightBatches: ensureGauge(registry, {
      name: 'sentiment_in_flight_batches',
      help: 'Batches received and not yet committed.',
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** A registry with Node's default metrics (event-loop lag, heap, GC, RSS). */
export function createMetricsRegistry(options: { defaultLabels?: Record<string, string> } = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return registry;
}
