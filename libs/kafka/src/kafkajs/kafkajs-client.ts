import { Kafka, logLevel as KafkaLogLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '@sentiment/observability';
import { toTlsConfig, type KafkaClientOptions } from '../port/kafka-client-options';

/** Routes kafkajs' own logs into our logger, so there is one JSON log stream. */
function logCreatorFor(logger: Logger) {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, ...meta } = entry as { message: string } & Record<string, unknown>;
      delete meta['timestamp'];
      delete meta['logger'];
      switch (level) {
        case KafkaLogLevel.ERROR:
          log.error(message, meta);
          break;
        case KafkaLogLevel.WARN:
          log.warn(message, meta);
          break;
        case KafkaLogLevel.INFO:
          log.info(message, meta);
          break;
        default:
          log.debug(message, meta);
      }
    };
}

export function createKafkajsClient(options: KafkaClientOptions, logger: Logger): Kafka {
  const sasl: SASLOptions | undefined = options.sasl
    ? ({ mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password } as SASLOptions)
    : undefined;
  const ssl = toTlsConfig(options.tls);
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    retry: {
      retries: options.retry?.retries ?? 5,
      initialRetryTime: options.retry?.initialRetryTimeMs ?? 300,
      maxRetryTime: options.retry?.maxRetryTimeMs ?? 10000,
    },
    logLevel: logger.isDebugEnabled() ? KafkaLogLevel.DEBUG : KafkaLogLevel.INFO,
    logCreator: logCreatorFor(logger),
  });
}
