import type { GroupMembership } from './consumed-batch';
import type { SendReport, TopicMessages } from './outgoing-message';

/** The input offsets a transaction commits together with its outputs. */
export interface TransactionOffsets {
  topic: string;
  partition: number;
  /** The next offset to consume (last processed + 1). */
  offset: string;
  membership: GroupMembership;
}

/**
 * Produces results and dead letters with acks=all and an idempotent producer. `send` resolves
 * only once the broker acknowledged every message it does not list as undeliverable: the caller
 * commits input offsets after that, never before.
 */
export interface ResultProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  /**
   * At-least-once. Messages the broker refuses for good are isolated and reported, the others
   * are delivered. Throws a retriable KafkaError when a transient failure (broker unreachable,
   * leader election) outlasted the retries: the caller gives the batch back and tries later.
   */
  send(batches: TopicMessages[]): Promise<SendReport>;
  /**
   * Exactly-once: every message and the offsets in one transaction, or nothing. A message that
   * cannot fit its topic is reported without sending anything (the caller replaces it and calls
   * again). A commit whose outcome is unknown (the connection broke during EndTxn) is resolved
   * before anything is written again, so a landed transaction is never repeated.
   */
  sendInTransaction(batches: TopicMessages[], offsets: TransactionOffsets): Promise<SendReport>;
  /** Called before each of our own retries (for the retry counter metric). */
  onRetry: ((attempt: number, error: unknown) => void) | undefined;
}
