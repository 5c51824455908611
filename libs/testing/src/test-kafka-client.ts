import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';

export interface TestClientOptions {
  clientId?: string;
  /** SCRAM credentials, when talking to the broker's SASL listener. */
  sasl?: SASLOptions;
  /** TLS options (e.g. the broker handle's `ssl`), when talking to the broker's SSL listener. */
  ssl?: KafkaConfig['ssl'];
  /** kafkajs retry settings; defaults suit a local broker. */
  retry?: KafkaConfig['retry'];
  connectionTimeout?: number;
  requestTimeout?: number;
}

/**
 * A kafkajs client for test helpers. Silent unless KAFKAJS_LOG_LEVEL says otherwise: harness
 * clients see brokers going up and down on purpose and their logs would only be noise.
 */
export function testKafka(bootstrap: string, options: TestClientOptions = {}): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'kafka-test-harness',
    brokers: bootstrap.split(',').map((b) => b.trim()),
    logLevel: kafkajsLogLevel(process.env['KAFKAJS_LOG_LEVEL']),
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: options.requestTimeout ?? 30000,
    retry: options.retry ?? { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
  };
  if (options.sasl) config.sasl = options.sasl;
  if (options.ssl !== undefined) config.ssl = options.ssl;
  return new Kafka(config);
}

function kafkajsLogLevel(name: string | undefined): logLevel {
  switch (name?.toLowerCase()) {
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    case 'debug':
      return logLevel.DEBUG;
    default:
      return logLevel.NOTHING;
  }
}
