import { KafkaError } from '@sentiment/errors';

/**
 * Broker errors that say the consumer group no longer counts the sender as the member it was
 * (a rebalance moved on, its session expired, another instance took its id, its KIP-848 epoch is
 * stale). Answered to a commit, they mean the batch is not ours to commit any more: nothing is
 * wrong with its messages, and its outcomes belong to whoever owns the partition now.
 */
const GROUP_FENCING_ERRORS = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'STALE_MEMBER_EPOCH', 'FENCED_MEMBER_EPOCH']);

/** True when `err` is a KafkaError carrying one of the group-fencing broker errors (both adapters set `details.kafkaErrorType`). */
export function isGroupFencing(err: unknown): boolean {
  if (!(err instanceof KafkaError)) return false;
  const type = (err.details as { kafkaErrorType?: unknown } | undefined)?.kafkaErrorType;
  return typeof type === 'string' && GROUP_FENCING_ERRORS.has(type);
}
