import { KafkaError } from '@sentiment/errors';

/** Maps whatever kafkajs throws into our typed error, keeping its own retriable judgement. */
export function toKafkaError(err: unknown, context: string): KafkaError {
  if (err instanceof KafkaError) return err;
  const e = err as { name?: string; message?: string; retriable?: boolean; type?: string } | undefined;
  const name = e?.name ?? '';
  const message = `${context}: ${e?.message ?? String(err)}`;
  if (name === 'KafkaJSSASLAuthenticationError' || e?.type === 'SASL_AUTHENTICATION_FAILED') {
    return new KafkaError('KAFKA_AUTH', message, { cause: err, retriable: false });
  }
  if (name === 'KafkaJSConnectionError' || name === 'KafkaJSBrokerNotFound' || name === 'KafkaJSNonRetriableError' && /connect/i.test(message)) {
    return new KafkaError('KAFKA_CONNECTION', message, { cause: err, retriable: true });
  }
  return new KafkaError('KAFKA_ERROR', message, { cause: err, retriable: e?.retriable === true || name === 'KafkaJSNumberOfRetriesExceeded' });
}
