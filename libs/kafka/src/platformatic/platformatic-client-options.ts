import type { BaseOptions } from '@platformatic/kafka';
import { toTlsConfig, type KafkaClientOptions } from '../port/kafka-client-options';

const SASL_MECHANISMS = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const;

/** Our client settings as @platformatic/kafka's base options (shared by its consumer, producer and admin). */
export function toPlatformaticOptions(options: KafkaClientOptions): BaseOptions {
  const tls = toTlsConfig(options.tls);
  return {
    clientId: options.clientId,
    bootstrapBrokers: options.brokers,
    connectTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    timeout: options.requestTimeoutMs ?? 30_000,
    retries: options.retry?.retries ?? 5,
    retryDelay: options.retry?.initialRetryTimeMs ?? 300,
    ...(tls === undefined || tls === false ? {} : { tls: tls === true ? {} : tls }),
    ...(options.sasl ? { sasl: { mechanism: SASL_MECHANISMS[options.sasl.mechanism], username: options.sasl.username, password: options.sasl.password } } : {}),
  };
}
