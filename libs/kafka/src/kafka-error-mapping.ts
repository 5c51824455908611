import { KafkaError } from '@sentiment/errors';

interface KafkaJsLikeError {
  name?: string;
  message?: string;
  retriable?: boolean;
  type?: string;
  cause?: unknown;
}

/** kafkajs wraps non-retriable errors (an authentication failure among them) in KafkaJSNonRetriableError: look inside. */
function isAuthFailure(err: unknown): boolean {
  for (let e = err as KafkaJsLikeError | undefined, depth = 0; e && depth < 5; e = e.cause as KafkaJsLikeError | undefined, depth++) {
    if (e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED') return true;
    if (e.cause === e) break;
  }
  return false;
}

/** Maps whatever kafkajs throws into our typed error, keeping its own retriable judgement. */
export function toKafkaError(err: unknown, context: string): KafkaError {
  if (err instanceof KafkaError) return err;
  const e = err as KafkaJsLikeError | undefined;
  const name = e?.name ?? '';
  const own = e?.message ?? String(err);
  const message = `${context}: ${own}`;
  if (isAuthFailure(err)) {
    return new KafkaError('KAFKA_AUTH', message, { cause: err, retriable: false });
  }
  // Match kafkajs' own message, not the context ("producer connect failed" says nothing about the cause).
  if (name === 'KafkaJSConnectionError' || name === 'KafkaJSBrokerNotFound' || (name === 'KafkaJSNonRetriableError' && /connect/i.test(own))) {
    return new KafkaError('KAFKA_CONNECTION', message, { cause: err, retriable: true });
  }
  return new KafkaError('KAFKA_ERROR', message, { cause: err, retriable: e?.retriable === true || name === 'KafkaJSNumberOfRetriesExceeded' });
}
