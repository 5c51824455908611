import type { EachBatchPayload } from 'kafkajs';
import type { ConsumedBatch, GroupMembership } from '../port/consumed-batch';
import type { InputMessage } from '../port/input-message';

interface Deferred {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Wraps one kafkajs `eachBatch` call: kafkajs waits on `deferred` and does not fetch the
 * partition again until the batch is settled.
 */
export function createKafkajsConsumedBatch(
  payload: EachBatchPayload,
  deferred: Deferred,
  membership: GroupMembership,
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
    // kafkajs' consumed messages already have InputMessage's shape (Buffer or null key, value and
    // header values, string offset and timestamp, plus `refusedBatch` from our patch); no copy.
    messages: batch.messages as unknown as readonly InputMessage[],
    lag: Number(batch.offsetLag()),
    nextOffset,
    receivedAt: Date.now(),
    membership,
    heartbeat: () => payload.heartbeat(),
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
