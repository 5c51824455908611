import { ConfigError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import { withConsumerDefaults } from '../port/consumer-options';
import type { KafkaClientOptions } from '../port/kafka-client-options';
import type { KafkaPort } from '../port/kafka-port';
import { withProducerDefaults } from '../port/producer-options';
import { installRecordBatchHooks } from '../shared/record-batch-hooks';
import { registerCompressionCodecs } from './codecs';
import { KafkajsAdmin } from './kafkajs-admin';
import { KafkajsBatchConsumer } from './kafkajs-batch-consumer';
import { createKafkajsClient } from './kafkajs-client';
import { assertKafkajsPatched } from './kafkajs-patches';
import { KafkajsResultProducer } from './kafkajs-result-producer';

/** The kafkajs adapter: the default client, the one the design names. */
export function createKafkajsPort(options: KafkaClientOptions, logger: Logger): KafkaPort {
  assertKafkajsPatched();
  registerCompressionCodecs();
  const kafka = createKafkajsClient(options, logger);
  return {
    client: 'kafkajs',
    createConsumer: (settings, log) => {
      const o = withConsumerDefaults(settings);
      if (o.groupProtocol !== 'classic') throw new ConfigError('KAFKA_GROUP_PROTOCOL: kafkajs speaks only the classic group protocol; use KAFKA_CLIENT=platformatic for "consumer" (KIP-848)');
      if (o.groupInstanceId !== undefined) throw new ConfigError('KAFKA_GROUP_INSTANCE_ID: kafkajs has no static membership (KIP-345); use KAFKA_CLIENT=platformatic');
      installRecordBatchHooks(o.maxDecompressedBatchBytes);
      return new KafkajsBatchConsumer(kafka, o, log);
    },
    createProducer: (settings, limits, log) => new KafkajsResultProducer(kafka, withProducerDefaults(settings), limits, new KafkajsAdmin(kafka), log),
    createAdmin: () => new KafkajsAdmin(kafka),
  };
}
