import type { Logger } from '@sentiment/observability';
import { withConsumerDefaults } from '../port/consumer-options';
import type { KafkaClientOptions } from '../port/kafka-client-options';
import type { KafkaPort } from '../port/kafka-port';
import { withProducerDefaults } from '../port/producer-options';
import { installRecordBatchHooks } from '../shared/record-batch-hooks';
import { PlatformaticAdmin } from './platformatic-admin';
import { PlatformaticBatchConsumer } from './platformatic-batch-consumer';
import { toPlatformaticOptions } from './platformatic-client-options';
import { assertPlatformaticPatched } from './platformatic-patches';
import { PlatformaticResultProducer } from './platformatic-result-producer';

/**
 * The @platformatic/kafka adapter: a maintained, pure TypeScript client with its own codecs,
 * null header values, KIP-848 and static membership. Each part has its own connections.
 */
export function createPlatformaticPort(options: KafkaClientOptions, _logger: Logger): KafkaPort {
  assertPlatformaticPatched();
  const base = toPlatformaticOptions(options);
  return {
    client: 'platformatic',
    createConsumer: (settings, log) => {
      const o = withConsumerDefaults(settings);
      installRecordBatchHooks(o.maxDecompressedBatchBytes);
      return new PlatformaticBatchConsumer(base, o, log);
    },
    createProducer: (settings, limits, log) => new PlatformaticResultProducer(base, withProducerDefaults(settings), limits, new PlatformaticAdmin(base), log),
    createAdmin: () => new PlatformaticAdmin(base),
  };
}
