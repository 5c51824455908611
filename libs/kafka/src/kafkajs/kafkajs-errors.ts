import { KafkaError } from '@sentiment/errors';

interface KafkaJsLikeError {
  name?: string;
  message?: string;
  retriable?: boolean;
  type?: string;
  cause?: unknown;
}

function causeChain(err: unknown): KafkaJsLikeError[] {
  const chain: KafkaJsLikeError[] = [];
  for (let e = err as KafkaJsLikeError | undefined, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    chain.push(e);
    if (!e.cause || e.cause === e) break;
    e = e.cause as KafkaJsLikeError;
  }
  return chain;
}

/**
 * The one place that judges a kafkajs error retriable: by its innermost cause, because kafkajs
 * wraps what went wrong (KafkaJSNumberOfRetriesExceeded around a lost connection, or
 * KafkaJSNonRetriableError around a SASL failure) in errors whose own flag says little.
 */
export function isKafkajsRetriable(err: unknown): boolean {
  const chain = causeChain(err);
  if (chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED')) return false;
  const innermost = chain[chain.length - 1];
  if (!innermost) return false;
  if (innermost.name === 'KafkaJSConnectionError' || innermost.name === 'KafkaJSConnectionClosedError' || innermost.name === 'KafkaJSRequestTimeoutError') return true;
  return innermost.retriable === true || (innermost.name === 'KafkaJSNumberOfRetriesExceeded' && chain.length === 1);
}

/** The broker's error type (e.g. MESSAGE_TOO_LARGE), if the failure carries one. */
export function kafkajsErrorType(err: unknown): string | undefined {
  return causeChain(err).find((e) => typeof e.type === 'string')?.type;
}

/** Maps whatever kafkajs throws into our typed error. */
export function toKafkaError(err: unknown, context: string): KafkaError {
  if (err instanceof KafkaError) return err;
  const chain = causeChain(err);
  const own = chain[0]?.message ?? String(err);
  const message = `${context}: ${own}`;
  const type = kafkajsErrorType(err);
  const details = type ? { kafkaErrorType: type } : undefined;
  if (chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED')) {
    return new KafkaError('KAFKA_AUTH', message, { cause: err, retriable: false });
  }
  const retriable = isKafkajsRetriable(err);
  // kafkajs gives up connecting with a KafkaJSNonRetriableError that copies the connection
  // error's message but not the error itself: its message is all there is to go on.
  const gaveUpConnecting = chain[0]?.name === 'KafkaJSNonRetriableError' && /connect/i.test(own);
  if (gaveUpConnecting || chain.some((e) => e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSBrokerNotFound' || e.name === 'KafkaJSConnectionClosedError')) {
    return new KafkaError('KAFKA_CONNECTION', message, { cause: err, retriable: true, ...(details ? { details } : {}) });
  }
  return new KafkaError('KAFKA_ERROR', message, { cause: err, retriable, ...(details ? { details } : {}) });
}
