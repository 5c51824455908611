import type { Kafka } from 'kafkajs';
import type { Logger } from '@sentiment/observability';
import type { KafkaClientOptions } from '../port/kafka-client-options';
import { registerCompressionCodecs } from './codecs';
import { createKafkajsClient } from './kafkajs-client';
import { assertKafkajsPatched } from './kafkajs-patches';

/**
 * A kafkajs client for tools that need APIs the port does not carry (scripts/dlq-replay): the
 * same connection options, codecs, decompression limit and client patches as the worker's.
 */
export function createKafkajsToolClient(options: KafkaClientOptions, logger: Logger): Kafka {
  assertKafkajsPatched();
  registerCompressionCodecs();
  return createKafkajsClient(options, logger);
}
