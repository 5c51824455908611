import type { Logger } from '@sentiment/observability';
import type { TopicLimits } from '../shared/topic-limits';
import type { BatchConsumer } from './batch-consumer';
import type { BatchConsumerSettings } from './consumer-options';
import type { KafkaAdmin } from './kafka-admin';
import type { ResultProducerOptions } from './producer-options';
import type { ResultProducer } from './result-producer';

/** The Kafka clients the worker can run on (`KAFKA_CLIENT`). */
export const KafkaClientNames = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KafkaClientNames)[number];

/**
 * Everything the worker needs from Kafka, behind one interface: nothing outside libs/kafka
 * imports a Kafka client. One port per process; its parts share the client's connections
 * where the client allows it.
 */
export interface KafkaPort {
  readonly client: KafkaClientName;
  createConsumer(settings: BatchConsumerSettings, logger: Logger): BatchConsumer;
  createProducer(settings: Partial<ResultProducerOptions>, limits: TopicLimits, logger: Logger): ResultProducer;
  createAdmin(logger: Logger): KafkaAdmin;
}
