import type { EventEmitter } from 'node:events';
import type { KafkaError } from '@sentiment/errors';
import type { ConsumedBatch } from './consumed-batch';
import type { ConsumerState } from './consumer-state';

export interface BatchConsumerEvents {
  crash: [{ error: Error; restart: boolean; retriable: boolean }];
  restart: [{ attempt: number; delayMs: number }];
  fatal: [KafkaError];
  joined: [Record<string, number[]>];
}

/**
 * A consumer group member exposed as an async iterator of batches:
 *
 *   for await (const batch of consumer.batches()) { ...; await batch.commit(); batch.release() }
 *
 * Not pulling is the pause: with `maxInFlightBatches` unsettled, nothing more is fetched.
 */
export interface BatchConsumer extends EventEmitter<BatchConsumerEvents> {
  /** Connects, joins and starts fetching; retries until it works or close() is called. Resolves once started or closed. */
  start(): Promise<void>;
  batches(): AsyncGenerator<ConsumedBatch, void, undefined>;
  getState(): ConsumerState;
  /**
   * Stops at most once, within `timeoutMs` whatever phase it is in: no join or fetch after it
   * began, queued batches handed back uncommitted, in-flight ones awaited (they commit), the group left.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}
