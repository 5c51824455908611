export type { KafkaClientOptions, KafkaSaslOptions, KafkaTlsOptions, SaslMechanismName } from './kafka-client-options';
export { describeClientOptions, toTlsConfig } from './kafka-client-options';
export { createKafkaClient } from './kafka-client';
export { toKafkaError } from './kafka-error-mapping';
export type { ConsumedBatch } from './consumed-batch';
export { AsyncBatchConsumer, type BatchConsumerOptions, type ConsumerState, type ConsumerPhase } from './async-batch-consumer';
export { ResultProducer, splitByBytes, rootCauseRetriable, type ResultProducerOptions, type OutgoingMessage, type TopicMessages, type SourceOffsets } from './result-producer';
export { withoutNullHeaderValues } from './null-header-values';
export * from './codecs';
