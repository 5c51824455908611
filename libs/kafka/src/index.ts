// The Kafka port: the only code that talks to a Kafka client (kafkajs or @platformatic/kafka).
export { createKafkaPort } from './create-kafka-port';
export { KafkaClientNames, type KafkaClientName, type KafkaPort } from './port/kafka-port';
export type { KafkaClientOptions, KafkaSaslOptions, KafkaTlsOptions, SaslMechanismName } from './port/kafka-client-options';
export { describeClientOptions } from './port/kafka-client-options';
export type { BatchConsumer, BatchConsumerEvents } from './port/batch-consumer';
export type { ConsumedBatch, GroupMembership } from './port/consumed-batch';
export type { ConsumerPhase, ConsumerState } from './port/consumer-state';
export { defaultBatchConsumerOptions, type BatchConsumerOptions, type BatchConsumerSettings, type GroupProtocol } from './port/consumer-options';
export { defaultResultProducerOptions, type ResultProducerOptions } from './port/producer-options';
export type { InputHeaders, InputHeaderValue, InputMessage, RefusedBatch } from './port/input-message';
export type { OutgoingHeaders, OutgoingHeaderValue, OutgoingMessage, SendReport, TopicMessages, UndeliverableMessage } from './port/outgoing-message';
export type { ResultProducer, TransactionOffsets } from './port/result-producer';
export type { KafkaAdmin, PartitionOffsets } from './port/kafka-admin';
export { TopicLimitsWatcher, type TopicLimits } from './shared/topic-limits';
export { RECORD_BATCH_OVERHEAD_BYTES, isRecordRefusal } from './shared/delivery';
export { CompressionNames, type CompressionName, isCompressionName, parseCompressionName } from './shared/compression-name';
export { UnknownCompressionCodecError, CompressionCodecUnavailableError, CompressionFailedError } from './shared/codec-errors';
export { BatchDecompressionRefusedError } from './shared/decompression-limit';
/** For tools that need kafkajs APIs the port does not carry (scripts/dlq-replay): a client built from the same options. */
export { createKafkajsToolClient } from './kafkajs/kafkajs-tool-client';
/** For kafkajs clients outside the worker (test producers, tools): our codecs, with the decompression limit. */
export { registerCompressionCodecs as registerKafkajsCompressionCodecs } from './kafkajs/codecs';
export { ConsumerLagReader, DEFAULT_LAG_REFRESH_MS, type ConsumerLagReaderOptions, type ConsumerLagListener, type PartitionLag } from './consumer-lag-reader';
