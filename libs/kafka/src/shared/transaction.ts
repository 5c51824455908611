import { describeError, KafkaError } from '@sentiment/errors';
import type { SendReport, TopicMessages } from '../port/outgoing-message';
import type { TransactionOffsets } from '../port/result-producer';
import { requestBytesFor, separateOversized, type DeliveryOptions } from './delivery';
import { withRetries } from './retry';
import { splitByBytes } from './split-by-bytes';

/** One open Kafka transaction, as an adapter drives its client. */
export interface OpenTransaction {
  send(chunk: TopicMessages[]): Promise<void>;
  addOffsets(offsets: TransactionOffsets): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionDriver {
  begin(): Promise<OpenTransaction>;
  /**
   * After a commit that failed without saying how it ended: makes the transaction's fate final
   * (a new producer with the same transactional id, whose InitProducerId waits until the
   * coordinator has completed or aborted it) and returns the group's committed offset of the
   * partition, which moved to `offsets.offset` only if the transaction committed.
   */
  settleUnknownCommit(offsets: TransactionOffsets): Promise<bigint>;
}

/**
 * Exactly-once: the messages and the input offsets in one transaction, retried whole while it
 * can be. A message that cannot fit its topic is returned without anything sent (the caller
 * replaces it). A failed EndTxn is never answered with a new transaction right away: the
 * transaction may have committed, so its outcome is settled first, and only an aborted one is
 * written again. A read_committed reader therefore sees each output once.
 */
export async function sendInTransaction(
  batches: readonly TopicMessages[],
  offsets: TransactionOffsets,
  driver: TransactionDriver,
  options: DeliveryOptions,
): Promise<SendReport> {
  const { fit, oversized } = separateOversized(batches, options.limits);
  if (oversized.length > 0) return { undeliverable: oversized };
  const chunks = splitByBytes(fit, requestBytesFor(fit, options));
  const log = options.retry.log;
  for (let attempt = 1; ; attempt++) {
    const tx = await withRetries('transaction', options.retry, async () => {
      const open = await driver.begin();
      try {
        for (const chunk of chunks) await open.send(chunk);
        await open.addOffsets(offsets);
      } catch (err) {
        await open.abort().catch(() => undefined);
        throw err;
      }
      return open;
    });
    let commitError: unknown;
    try {
      await tx.commit();
      return { undeliverable: [] };
    } catch (err) {
      commitError = err;
    }
    log.warn('transaction commit failed; settling its outcome before writing anything again', { attempt, error: describeError(commitError) });
    // If the outcome cannot be learnt, the batch goes back to the consumer, which restarts from
    // the committed offsets: they moved if and only if the transaction committed.
    const committed = await withRetries('settling a transaction', options.retry, () => driver.settleUnknownCommit(offsets));
    if (committed >= BigInt(offsets.offset)) {
      log.info('the transaction had committed; not writing it again', { topic: offsets.topic, partition: offsets.partition, offset: offsets.offset });
      return { undeliverable: [] };
    }
    if (attempt >= Math.max(1, options.retry.maxAttempts)) {
      throw new KafkaError('PRODUCE_FAILED', `transaction commit failed ${attempt} times: ${(commitError as Error)?.message ?? String(commitError)}`, {
        cause: commitError,
        retriable: true,
      });
    }
    log.warn('the transaction was aborted; writing it again', { attempt });
  }
}
