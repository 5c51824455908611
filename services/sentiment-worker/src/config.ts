import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { boolVar, enumVar, hostListVar, intVar, numberVar, optionalIntVar, optionalStringVar, parseEnv, stringVar } from '@sentiment/config';
import { ConfigError } from '@sentiment/errors';
import { DEFAULT_HTTP_APP_OPTIONS as httpDefaults, DEFAULT_HTTP_SERVER_TIMEOUTS as httpServerDefaults } from '@sentiment/http';
import { DEFAULT_MAX_BATCH_WAIT_MS } from '@sentiment/scoring';
import {
  CompressionNames,
  defaultBatchConsumerOptions as consumerDefaults,
  defaultResultProducerOptions as producerDefaults,
  KafkaClientNames,
  type BatchConsumerSettings,
  type KafkaClientName,
  type KafkaClientOptions,
} from '@sentiment/kafka';
import { SERVICE_VERSION } from './version';
import { defaultSchemaRegistryOptions as defaultSchemaRegistryTiming, type SchemaRegistryOptions } from '@sentiment/schema-registry';
import type { TracingOptions } from '@sentiment/observability';

const topicName = { pattern: /^[A-Za-z0-9._-]{1,249}$/, description: 'a Kafka topic name (letters, digits, . _ -)' };

/**
 * Every environment variable the worker reads. docs/configuration.md documents each one,
 * and a test checks that the two lists agree.
 */
export const envSchema = z.object({
  // Kafka connection
  KAFKA_CLIENT: enumVar(KafkaClientNames, { default: 'kafkajs' }),
  KAFKA_BROKERS: hostListVar({ default: '127.0.0.1:9092' }),
  KAFKA_CLIENT_ID: stringVar({ default: 'sentiment-worker' }),
  KAFKA_GROUP_ID: stringVar({ default: 'sentiment-worker' }),
  KAFKA_SASL_MECHANISM: enumVar(['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const, { default: 'none' }),
  KAFKA_SASL_USERNAME: optionalStringVar(),
  KAFKA_SASL_PASSWORD: optionalStringVar(),
  KAFKA_TLS: boolVar({ default: false }),
  KAFKA_TLS_CA_FILE: optionalStringVar(),
  KAFKA_TLS_CERT_FILE: optionalStringVar(),
  KAFKA_TLS_KEY_FILE: optionalStringVar(),
  KAFKA_TLS_REJECT_UNAUTHORIZED: boolVar({ default: true }),
  KAFKA_CONNECTION_TIMEOUT_MS: intVar({ default: 3000, min: 100, max: 120000 }),
  KAFKA_REQUEST_TIMEOUT_MS: intVar({ default: producerDefaults.requestTimeoutMs, min: 1000, max: 600000 }),
  // Topics
  INPUT_TOPIC: stringVar({ default: 'calls.transcribed', ...topicName }),
  OUTPUT_TOPIC: stringVar({ default: 'calls.sentiment', ...topicName }),
  DLQ_TOPIC: stringVar({ default: 'calls.transcribed.dlq', ...topicName }),
  // Consumer
  KAFKA_FROM_BEGINNING: boolVar({ default: consumerDefaults.fromBeginning }),
  MAX_IN_FLIGHT_BATCHES: intVar({ default: consumerDefaults.maxInFlightBatches, min: 1, max: 64 }),
  KAFKA_MAX_BYTES_PER_PARTITION: intVar({ default: consumerDefaults.maxBytesPerPartition, min: 1024, max: 104_857_600 }),
  KAFKA_MAX_BYTES: intVar({ default: consumerDefaults.maxBytes, min: 1024, max: 1_073_741_824 }),
  /** Unset: derived from MAX_MESSAGE_BYTES and KAFKA_MAX_BYTES_PER_PARTITION (maxDecompressedBatchBytesFor). */
  KAFKA_MAX_DECOMPRESSED_BATCH_BYTES: optionalIntVar({ min: 65_536, max: 1_073_741_824 }),
  KAFKA_SESSION_TIMEOUT_MS: intVar({ default: consumerDefaults.sessionTimeoutMs, min: 6000, max: 300000 }),
  KAFKA_HEARTBEAT_INTERVAL_MS: intVar({ default: consumerDefaults.heartbeatIntervalMs, min: 100, max: 60000 }),
  KAFKA_REBALANCE_TIMEOUT_MS: intVar({ default: consumerDefaults.rebalanceTimeoutMs, min: 1000, max: 600000 }),
  KAFKA_GROUP_PROTOCOL: enumVar(['classic', 'consumer'] as const, { default: consumerDefaults.groupProtocol }),
  KAFKA_GROUP_INSTANCE_ID: optionalStringVar(),
  CONSUMER_MAX_RESTARTS: intVar({ default: consumerDefaults.maxRestarts, min: 0, max: 1000 }),
  // Processing guarantees and output
  PROCESSING_MODE: enumVar(['at-least-once', 'exactly-once'] as const, { default: 'at-least-once' }),
  KAFKA_TRANSACTIONAL_ID: optionalStringVar(),
  OUTPUT_COMPRESSION: enumVar(CompressionNames, { default: producerDefaults.compression }),
  PRODUCE_MAX_ATTEMPTS: intVar({ default: producerDefaults.maxAttempts, min: 1, max: 100 }),
  PRODUCE_RETRY_BACKOFF_MS: intVar({ default: producerDefaults.retryBackoffMs.initial, min: 1, max: 60000 }),
  PRODUCE_MAX_REQUEST_BYTES: intVar({ default: producerDefaults.maxRequestBytes, min: 1024, max: 104_857_600 }),
  // Input limits (dead-lettered beyond them)
  MAX_MESSAGE_BYTES: intVar({ default: 1_048_576, min: 1024, max: 104_857_600 }),
  MAX_TEXT_CHARS: intVar({ default: 200_000, min: 1, max: 100_000_000 }),
  MAX_JSON_DEPTH: intVar({ default: 32, min: 2, max: 1000 }),
  DLQ_MAX_VALUE_BYTES: intVar({ default: 900_000, min: 1024, max: 104_857_600 }),
  // Where a batch is decoded, scored and serialised while VADER serves
  BATCH_PROCESSING: enumVar(['worker-pool', 'main-thread'] as const, { default: 'worker-pool' }),
  BATCH_POOL_THREADS: intVar({ default: 0, min: 0, max: 64 }),
  // Scoring
  SCORER: enumVar(['auto', 'roberta', 'vader'] as const, { default: 'auto' }),
  MODEL_DIR: stringVar({ default: 'models/twitter-roberta-base-sentiment-latest' }),
  MODEL_FILE: enumVar(['auto', 'model.onnx', 'model_quantized.onnx', 'model_optimized.onnx', 'model_quantized_optimized.onnx'] as const, { default: 'auto' }),
  MODEL_THREADS: intVar({ default: 0, min: 0, max: 64 }),
  MODEL_INTRA_OP_THREADS: intVar({ default: 1, min: 0, max: 64 }),
  MODEL_INTER_OP_THREADS: intVar({ default: 1, min: 0, max: 64 }),
  MODEL_MAX_BATCH_SIZE: intVar({ default: 32, min: 1, max: 1024 }),
  MODEL_MAX_BATCH_TOKENS: intVar({ default: 8192, min: 16, max: 1_000_000 }),
  MODEL_BATCH_WAIT_MS: intVar({ default: DEFAULT_MAX_BATCH_WAIT_MS, min: 0, max: 10_000 }),
  MODEL_QUEUE: enumVar(['process', 'call'] as const, { default: 'process' }),
  MODEL_TIMEOUT_MS: intVar({ default: 30000, min: 1, max: 600000 }),
  BREAKER_FAILURE_THRESHOLD: intVar({ default: 3, min: 1, max: 1000 }),
  BREAKER_COOLDOWN_MS: intVar({ default: 30000, min: 100, max: 3_600_000 }),
  LOW_CONFIDENCE_THRESHOLD: numberVar({ default: 0.5, min: 0, max: 1 }),
  VADER_LOW_CONFIDENCE_THRESHOLD: numberVar({ default: 0.05, min: 0, max: 1 }),
  // HTTP API
  PORT: intVar({ default: 8080, min: 0, max: 65535 }),
  HOST: stringVar({ default: '0.0.0.0' }),
  HTTP_MAX_BODY_BYTES: intVar({ default: httpDefaults.maxBodyBytes, min: 1024, max: 104_857_600 }),
  ANALYZE_MAX_TEXTS: intVar({ default: httpDefaults.maxBatchTexts, min: 1, max: 100_000 }),
  ANALYZE_MAX_TEXT_CHARS: intVar({ default: httpDefaults.maxTextChars, min: 1, max: 10_000_000 }),
  RATE_LIMIT_WINDOW_MS: intVar({ default: httpDefaults.rateLimitWindowMs, min: 1000, max: 86_400_000 }),
  RATE_LIMIT_MAX: intVar({ default: httpDefaults.rateLimitMax, min: 0, max: 10_000_000 }),
  HTTP_REQUEST_TIMEOUT_MS: intVar({ default: httpServerDefaults.requestTimeoutMs, min: 1000, max: 600000 }),
  TRUST_PROXY: boolVar({ default: false }),
  // Schema Registry (docs/events.md)
  INPUT_FORMAT: enumVar(['auto', 'json', 'registry'] as const, { default: 'auto' }),
  OUTPUT_FORMAT: enumVar(['json', 'registry'] as const, { default: 'json' }),
  SCHEMA_REGISTRY_URL: optionalStringVar(),
  SCHEMA_REGISTRY_USERNAME: optionalStringVar(),
  SCHEMA_REGISTRY_PASSWORD: optionalStringVar(),
  SCHEMA_REGISTRY_TLS_CA_FILE: optionalStringVar(),
  SCHEMA_REGISTRY_TLS_CERT_FILE: optionalStringVar(),
  SCHEMA_REGISTRY_TLS_KEY_FILE: optionalStringVar(),
  SCHEMA_REGISTRY_TLS_REJECT_UNAUTHORIZED: boolVar({ default: true }),
  SCHEMA_REGISTRY_TIMEOUT_MS: intVar({ default: defaultSchemaRegistryTiming.requestTimeoutMs, min: 100, max: 120000 }),
  SCHEMA_REGISTRY_RETRIES: intVar({ default: defaultSchemaRegistryTiming.retries, min: 0, max: 20 }),
  SCHEMA_REGISTRY_RETRY_BACKOFF_MS: intVar({ default: defaultSchemaRegistryTiming.retryBackoffMs, min: 1, max: 60000 }),
  SCHEMA_REGISTRY_OUTAGE_COOLDOWN_MS: intVar({ default: defaultSchemaRegistryTiming.outageCooldownMs, min: 0, max: 600000 }),
  // Tracing (docs/headers-and-tracing.md); the SDK reads the other OTEL_* variables itself
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalStringVar(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalStringVar(),
  OTEL_SDK_DISABLED: boolVar({ default: false }),
  OTEL_SERVICE_NAME: stringVar({ default: 'sentiment-worker' }),
  OTEL_BSP_SCHEDULE_DELAY: intVar({ default: 5000, min: 10, max: 600000 }),
  // Process
  LOG_LEVEL: enumVar(['error', 'warn', 'info', 'debug'] as const, { default: 'info' }),
  LOG_FORMAT: enumVar(['json', 'pretty'] as const, { default: 'json' }),
  SHUTDOWN_TIMEOUT_MS: intVar({ default: 25000, min: 1000, max: 600000 }),
  INSTANCE_ID: optionalStringVar(),
});

export type WorkerEnv = z.infer<typeof envSchema>;

export interface WorkerConfig {
  env: WorkerEnv;
  kafkaClient: KafkaClientName;
  kafka: KafkaClientOptions;
  /** The batch consumer's settings, all from the environment. */
  consumer: BatchConsumerSettings;
  /** Set when SCHEMA_REGISTRY_URL is. */
  schemaRegistry: SchemaRegistryOptions | undefined;
  /** Set when an OTLP endpoint is (and OTEL_SDK_DISABLED is not true): spans are exported. */
  tracing: TracingOptions | undefined;
  transactionalId: string | undefined;
  instanceId: string;
}

function readPem(variable: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: cannot read file ${JSON.stringify(path)} (${(err as Error).message})`, { cause: err });
  }
}

/**
 * The default decompression limit: room for 16 records of the largest size the worker accepts
 * (MAX_MESSAGE_BYTES), or 16 fetches of one partition, whichever is more. A valid batch never
 * comes near it; a decompression bomb is stopped there (docs/reliability.md).
 */
export function maxDecompressedBatchBytesFor(maxMessageBytes: number, maxBytesPerPartition: number): number {
  return 16 * Math.max(maxMessageBytes, maxBytesPerPartition);
}

/** Parses and cross-checks the whole configuration once, at start-up. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const env = parseEnv(envSchema, source);
  const problems: string[] = [];
  if (env.KAFKA_SASL_MECHANISM !== 'none' && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) {
    problems.push(`KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: both required when KAFKA_SASL_MECHANISM is ${env.KAFKA_SASL_MECHANISM}`);
  }
  if (new Set([env.INPUT_TOPIC, env.OUTPUT_TOPIC, env.DLQ_TOPIC]).size !== 3) {
    problems.push('INPUT_TOPIC, OUTPUT_TOPIC, DLQ_TOPIC: must be three different topics');
  }
  if (env.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > env.KAFKA_SESSION_TIMEOUT_MS) {
    problems.push('KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS');
  }
  if (env.KAFKA_GROUP_PROTOCOL === 'consumer' && env.KAFKA_CLIENT !== 'platformatic') {
    problems.push('KAFKA_GROUP_PROTOCOL: "consumer" (KIP-848) needs KAFKA_CLIENT=platformatic; kafkajs speaks only the classic protocol');
  }
  if (env.KAFKA_GROUP_INSTANCE_ID !== undefined && env.KAFKA_CLIENT !== 'platformatic') {
    problems.push('KAFKA_GROUP_INSTANCE_ID: static membership needs KAFKA_CLIENT=platformatic; kafkajs has none');
  }
  if (!env.SCHEMA_REGISTRY_URL && (env.INPUT_FORMAT === 'registry' || env.OUTPUT_FORMAT === 'registry')) {
    problems.push(`SCHEMA_REGISTRY_URL: required when ${env.INPUT_FORMAT === 'registry' ? 'INPUT_FORMAT' : 'OUTPUT_FORMAT'} is registry`);
  }
  if (env.SCHEMA_REGISTRY_URL && !/^https?:\/\/[^/\s]+/.test(env.SCHEMA_REGISTRY_URL)) {
    problems.push(`SCHEMA_REGISTRY_URL: must be an http:// or https:// URL (got ${JSON.stringify(env.SCHEMA_REGISTRY_URL)})`);
  }
  if (Boolean(env.SCHEMA_REGISTRY_USERNAME) !== Boolean(env.SCHEMA_REGISTRY_PASSWORD)) {
    problems.push('SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD: set both or neither');
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const) {
    const value = env[name];
    if (value && !/^https?:\/\/[^/\s]+/.test(value)) problems.push(`${name}: must be an http:// or https:// URL (OTLP/HTTP) (got ${JSON.stringify(value)})`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  const instanceId = env.INSTANCE_ID ?? hostname();
  const tlsFiles = {
    ca: readPem('KAFKA_TLS_CA_FILE', env.KAFKA_TLS_CA_FILE),
    cert: readPem('KAFKA_TLS_CERT_FILE', env.KAFKA_TLS_CERT_FILE),
    key: readPem('KAFKA_TLS_KEY_FILE', env.KAFKA_TLS_KEY_FILE),
  };
  const kafka: KafkaClientOptions = {
    clientId: env.KAFKA_CLIENT_ID,
    brokers: env.KAFKA_BROKERS,
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
    ...(env.KAFKA_SASL_MECHANISM !== 'none'
      ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' } }
      : {}),
    ...(env.KAFKA_TLS
      ? {
          tls: {
            enabled: true,
            rejectUnauthorized: env.KAFKA_TLS_REJECT_UNAUTHORIZED,
            ...(tlsFiles.ca ? { ca: tlsFiles.ca } : {}),
            ...(tlsFiles.cert ? { cert: tlsFiles.cert } : {}),
            ...(tlsFiles.key ? { key: tlsFiles.key } : {}),
          },
        }
      : {}),
  };
  const schemaRegistry: SchemaRegistryOptions | undefined = env.SCHEMA_REGISTRY_URL
    ? {
        url: env.SCHEMA_REGISTRY_URL,
        ...(env.SCHEMA_REGISTRY_USERNAME ? { username: env.SCHEMA_REGISTRY_USERNAME, password: env.SCHEMA_REGISTRY_PASSWORD ?? '' } : {}),
        tls: {
          rejectUnauthorized: env.SCHEMA_REGISTRY_TLS_REJECT_UNAUTHORIZED,
          ...optionalPem('ca', 'SCHEMA_REGISTRY_TLS_CA_FILE', env.SCHEMA_REGISTRY_TLS_CA_FILE),
          ...optionalPem('cert', 'SCHEMA_REGISTRY_TLS_CERT_FILE', env.SCHEMA_REGISTRY_TLS_CERT_FILE),
          ...optionalPem('key', 'SCHEMA_REGISTRY_TLS_KEY_FILE', env.SCHEMA_REGISTRY_TLS_KEY_FILE),
        },
        requestTimeoutMs: env.SCHEMA_REGISTRY_TIMEOUT_MS,
        retries: env.SCHEMA_REGISTRY_RETRIES,
        retryBackoffMs: env.SCHEMA_REGISTRY_RETRY_BACKOFF_MS,
        outageCooldownMs: env.SCHEMA_REGISTRY_OUTAGE_COOLDOWN_MS,
        notFoundTtlMs: defaultSchemaRegistryTiming.notFoundTtlMs,
      }
    : undefined;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  const tracing: TracingOptions | undefined =
    tracesEndpoint && !env.OTEL_SDK_DISABLED ? { tracesEndpoint, serviceName: env.OTEL_SERVICE_NAME, serviceVersion: SERVICE_VERSION, instanceId, scheduledDelayMs: env.OTEL_BSP_SCHEDULE_DELAY } : undefined;
  const transactionalId =
    env.PROCESSING_MODE === 'exactly-once' ? (env.KAFKA_TRANSACTIONAL_ID ?? `${env.KAFKA_GROUP_ID}-${instanceId}`) : undefined;
  const consumer: BatchConsumerSettings = {
    groupId: env.KAFKA_GROUP_ID,
    topics: [env.INPUT_TOPIC],
    fromBeginning: env.KAFKA_FROM_BEGINNING,
    // Exactly-once runs one transaction at a time.
    maxInFlightBatches: env.PROCESSING_MODE === 'exactly-once' ? 1 : env.MAX_IN_FLIGHT_BATCHES,
    sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS,
    rebalanceTimeoutMs: env.KAFKA_REBALANCE_TIMEOUT_MS,
    maxBytesPerPartition: env.KAFKA_MAX_BYTES_PER_PARTITION,
    maxBytes: env.KAFKA_MAX_BYTES,
    maxDecompressedBatchBytes: env.KAFKA_MAX_DECOMPRESSED_BATCH_BYTES ?? maxDecompressedBatchBytesFor(env.MAX_MESSAGE_BYTES, env.KAFKA_MAX_BYTES_PER_PARTITION),
    groupProtocol: env.KAFKA_GROUP_PROTOCOL,
    groupInstanceId: env.KAFKA_GROUP_INSTANCE_ID,
    maxRestarts: env.CONSUMER_MAX_RESTARTS,
  };
  return { env, kafkaClient: env.KAFKA_CLIENT, kafka, consumer, schemaRegistry, tracing, transactionalId, instanceId };
}

function optionalPem<K extends string>(key: K, variable: string, file: string | undefined): Partial<Record<K, string>> {
  const pem = readPem(variable, file);
  return pem ? ({ [key]: pem } as Partial<Record<K, string>>) : {};
}

/** Safe to log: no secrets. */
export function describeConfig(config: WorkerConfig): Record<string, unknown> {
  const { KAFKA_SASL_PASSWORD: _hidden, SCHEMA_REGISTRY_PASSWORD: _hiddenToo, ...rest } = config.env;
  return {
    ...rest,
    KAFKA_SASL_PASSWORD: config.env.KAFKA_SASL_PASSWORD ? '(set)' : undefined,
    SCHEMA_REGISTRY_PASSWORD: config.env.SCHEMA_REGISTRY_PASSWORD ? '(set)' : undefined,
  };
}
