import type { CompressionName } from '../shared/compression-name';

export interface ResultProducerOptions {
  compression: CompressionName;
  /** Our attempts at a failed send or transaction, with exponential backoff, after the client's own retries. */
  maxAttempts: number;
  retryBackoffMs: { initial: number; max: number };
  /** Exactly-once mode: a transactional producer; results and input offsets commit atomically. */
  transactionalId: string | undefined;
  requestTimeoutMs: number;
  /**
   * Upper bound of one produce request, in bytes of keys, values and headers. A consumed batch
   * can hold thousands of inputs; sent as one request its results would exceed the broker's
   * `message.max.bytes`, so they go out in several requests, in order. Lowered further to fit
   * the smallest `max.message.bytes` of the topics written.
   */
  maxRequestBytes: number;
  /**
   * Where the kafkajs adapter, which cannot produce a null header value, lists the names of the
   * headers it had to send empty instead (a header of the dead-letter contract). Unused by
   * clients that produce null values as they are.
   */
  nullHeaderNamesHeader: string | undefined;
}

/** The one place the producer's defaults live (the worker's configuration takes them from here). */
export const defaultResultProducerOptions = {
  compression: 'none',
  maxAttempts: 5,
  retryBackoffMs: { initial: 200, max: 6_400 },
  transactionalId: undefined,
  requestTimeoutMs: 30_000,
  maxRequestBytes: 196_608,
  nullHeaderNamesHeader: undefined,
} as const satisfies ResultProducerOptions;

export function withProducerDefaults(settings: Partial<ResultProducerOptions>): ResultProducerOptions {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return { ...defaultResultProducerOptions, ...defined } as ResultProducerOptions;
}
