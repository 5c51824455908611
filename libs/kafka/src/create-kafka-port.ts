import type { Logger } from '@sentiment/observability';
import { createKafkajsPort } from './kafkajs/kafkajs-port';
import type { KafkaClientOptions } from './port/kafka-client-options';
import type { KafkaClientName, KafkaPort } from './port/kafka-port';
import { createPlatformaticPort } from './platformatic/platformatic-port';

/** The port on the chosen client (`KAFKA_CLIENT`, default kafkajs). */
export function createKafkaPort(client: KafkaClientName, options: KafkaClientOptions, logger: Logger): KafkaPort {
  return client === 'platformatic' ? createPlatformaticPort(options, logger) : createKafkajsPort(options, logger);
}
