import { KafkaError } from '@sentiment/errors';

interface PlatformaticLikeError {
  name?: string;
  code?: string;
  message?: string;
  canRetry?: boolean;
  apiId?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** The error and everything inside it: causes and the members of MultipleErrors / ResponseError. */
function allErrors(err: unknown, depth = 0, out: PlatformaticLikeError[] = []): PlatformaticLikeError[] {
  if (!err || typeof err !== 'object' || depth > 8 || out.length > 64) return out;
  const e = err as PlatformaticLikeError;
  out.push(e);
  if (Array.isArray(e.errors)) for (const inner of e.errors) allErrors(inner, depth + 1, out);
  if (e.cause && e.cause !== e) allErrors(e.cause, depth + 1, out);
  return out;
}

const PERMANENT_CODES = new Set(['PLT_KFK_AUTHENTICATION', 'PLT_KFK_UNSUPPORTED_API', 'PLT_KFK_UNSUPPORTED_COMPRESSION', 'PLT_KFK_UNSUPPORTED']);

/** The broker's error id (e.g. MESSAGE_TOO_LARGE) of the first protocol error inside, if any. */
export function platformaticErrorType(err: unknown): string | undefined {
  return allErrors(err).find((e) => e.code === 'PLT_KFK_PROTOCOL' && typeof e.apiId === 'string')?.apiId;
}

function isAuthFailure(errors: PlatformaticLikeError[]): boolean {
  return errors.some((e) => e.code === 'PLT_KFK_AUTHENTICATION' || e.apiId === 'SASL_AUTHENTICATION_FAILED');
}

/**
 * The one place that judges a @platformatic/kafka error retriable. Permanent: authentication,
 * an unsupported API or codec, and any broker error the client itself marks not retriable
 * (MESSAGE_TOO_LARGE, TOPIC_AUTHORIZATION_FAILED, ...). Everything else, lost connections and
 * timeouts included, may succeed later.
 */
export function isPlatformaticRetriable(err: unknown): boolean {
  const errors = allErrors(err);
  if (isAuthFailure(errors)) return false;
  return !errors.some((e) => (e.code !== undefined && PERMANENT_CODES.has(e.code)) || (e.code === 'PLT_KFK_PROTOCOL' && e.canRetry === false));
}

/** Maps whatever @platformatic/kafka throws into our typed error. */
export function toKafkaError(err: unknown, context: string): KafkaError {
  if (err instanceof KafkaError) return err;
  const errors = allErrors(err);
  // The outermost message says what failed ("initProducerId failed 11 times"), the innermost ones
  // why (an authentication or certificate error): keep both, not the wrappers in between.
  const leaves = errors.filter((e) => e.message && !e.cause && !(Array.isArray(e.errors) && e.errors.length > 0)).map((e) => e.message as string);
  const top = errors[0]?.message ?? String(err);
  const why = [...new Set(leaves)].filter((m) => m !== top).slice(0, 3);
  const message = `${context}: ${top}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
  const type = platformaticErrorType(err);
  const details = type ? { kafkaErrorType: type } : undefined;
  if (isAuthFailure(errors)) return new KafkaError('KAFKA_AUTH', message, { cause: err, retriable: false });
  if (errors.some((e) => e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT')) {
    return new KafkaError('KAFKA_CONNECTION', message, { cause: err, retriable: isPlatformaticRetriable(err), ...(details ? { details } : {}) });
  }
  return new KafkaError('KAFKA_ERROR', message, { cause: err, retriable: isPlatformaticRetriable(err), ...(details ? { details } : {}) });
}
