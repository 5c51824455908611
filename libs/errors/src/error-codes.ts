/**
 * Every error code the service can raise. Dead-letter reason codes are a subset
 * (see @sentiment/events) so that a DLQ header and a log line name the same thing.
 */
export const ErrorCodes = [
  // configuration
  'CONFIG_INVALID',
  // input contract (dead-letter reasons)
  'INVALID_JSON',
  'INVALID_UTF8',
  'SCHEMA_VIOLATION',
  'NO_TEXT',
  'MESSAGE_TOO_LARGE',
  'TEXT_TOO_LONG',
  'NESTING_TOO_DEEP',
  'EMPTY_MESSAGE',
  // processing
  'SCORING_FAILED',
  'PRODUCE_FAILED',
  'PROCESSING_FAILED',
  // model
  'MODEL_NOT_FOUND',
  'MODEL_LOAD_FAILED',
  'MODEL_INFERENCE_FAILED',
  'MODEL_TIMEOUT',
  'MODEL_CIRCUIT_OPEN',
  'TOKENIZER_FAILED',
  // kafka
  'KAFKA_CONNECTION',
  'KAFKA_AUTH',
  'KAFKA_CONSUMER_CRASHED',
  'KAFKA_PRODUCER',
  'KAFKA_ERROR',
  // http
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'NOT_FOUND',
  // lifecycle
  'SHUTDOWN_TIMEOUT',
  'INTERNAL',
  // http (appended)
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'BATCH_TOO_LARGE',
  'HEADERS_TOO_LARGE',
  // test tooling (appended; libs/testing Kafka broker harness)
  'TEST_HARNESS',
  // kafka compression codecs (appended; libs/kafka/src/codecs)
  'COMPRESSION_CODEC_UNAVAILABLE',
  'COMPRESSION_FAILED',
  // model download (appended; scripts/model-download)
  'MODEL_DOWNLOAD_FAILED',
  'MODEL_CHECKSUM_MISMATCH',
  // exactly one outcome per input (appended; libs/kafka, services/sentiment-worker)
  'RESULT_TOO_LARGE',
  'DECOMPRESSION_LIMIT',
  'KAFKA_CLIENT_UNPATCHED',
  // Schema Registry framed input (appended; libs/schema-registry, dead-letter reasons)
  'NOT_SCHEMA_FRAMED',
  'SCHEMA_NOT_FOUND',
  'SCHEMA_REGISTRY_UNAVAILABLE',
  'SCHEMA_UNSUPPORTED',
  'UNDECODABLE_PAYLOAD',
  // Schema Registry output (appended; registering or encoding results)
  'SCHEMA_REGISTRY_ERROR',
  // DLQ replay tool (appended; scripts/dlq-replay)
  'DLQ_REPLAY_FAILED',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];
