import type { EachBatchPayload, KafkaMessage } from 'kafkajs';

/**
 * One fetched batch of one partition, handed to the application by the async iterator.
 * kafkajs does not fetch the partition's next batch until this one is settled with
 * `release()` or `fail()`: that is the backpressure, and what keeps a partition in order.
 */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /** Messages behind the high watermark after this batch. */
  readonly lag: number;
  /** Offset to commit once every message of the batch has an acknowledged outcome. */
  readonly nextOffset: string;
  readonly receivedAt: number;
  /** Keeps the group membership alive during long work; throttled by kafkajs. */
  heartbeat(): Promise<void>;
  /** True once the partition was revoked or the consumer is stopping: results may be duplicated elsewhere. */
  isStale(): boolean;
  /** Commits `nextOffset` to the group (at-least-once mode). */
  commit(): Promise<void>;
  /** Marks the batch processed (offsets already committed by a transaction, or by `commit`). */
  release(): void;
  /** Gives the batch back unprocessed: the consumer crashes/restarts and refetches from the committed offset. */
  fail(error: Error): void;
  /** Releases without processing; kafkajs refetches it later from the last resolved offset. */
  abandon(): void;
}

interface Deferred {
  resolve(): void;
  reject(error: Error): void;
}

export function createConsumedBatch(
  payload: EachBatchPayload,
  deferred: Deferred,
  commitOffsets: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>,
): ConsumedBatch {
  const { batch } = payload;
  const last = batch.lastOffset();
  const nextOffset = (BigInt(last) + 1n).toString();
  let settled = false;
  const settle = () => {
    if (settled) return false;
    settled = true;
    return true;
  };
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages,
    lag: Number(batch.offsetLag()),
    nextOffset,
    receivedAt: Date.now(),
    heartbeat: () => payload.heartbeat(),
    isStale: () => payload.isStale() || !payload.isRunning(),
    async commit() {
      await commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
    },
    release() {
      if (!settle()) return;
      // Tell kafkajs where the next fetch starts, so a processed batch is never refetched.
      payload.resolveOffset(last);
      deferred.resolve();
    },
    fail(error: Error) {
      if (!settle()) return;
      deferred.reject(error);
    },
    abandon() {
      if (!settle()) return;
      deferred.resolve();
    },
  };
}
