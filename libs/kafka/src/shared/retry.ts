import { describeError, isRetriable, KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';

export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: { initial: number; max: number };
  onRetry: ((attempt: number, error: unknown) => void) | undefined;
  log: Logger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, retrying retriable KafkaErrors with exponential backoff. A
 * permanent error is rethrown at once (retrying cannot help); a retriable one that outlasts the
 * attempts becomes a retriable PRODUCE_FAILED, so the caller gives its work back for later.
 */
export async function withRetries<T>(what: string, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  const maxAttempts = Math.max(1, policy.maxAttempts);
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (!isRetriable(err)) throw err;
      if (attempt === maxAttempts) break;
      const delay = Math.min(policy.backoffMs.max, policy.backoffMs.initial * 2 ** (attempt - 1));
      policy.log.warn(`${what} failed; retrying`, { attempt, maxAttempts, delayMs: delay, error: describeError(err) });
      policy.onRetry?.(attempt, err);
      await sleep(delay);
    }
  }
  throw new KafkaError('PRODUCE_FAILED', `${what} failed after ${maxAttempts} attempts: ${(lastError as Error)?.message ?? String(lastError)}`, {
    cause: lastError,
    retriable: true,
  });
}
