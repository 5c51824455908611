import type { InputMessage } from './input-message';

/** What a transaction needs to commit a batch's offsets with KIP-447 fencing. */
export interface GroupMembership {
  readonly groupId: string;
  /** Generation (classic protocol) or member epoch (KIP-848) when the batch was fetched; -1 if unknown. */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | undefined;
  /** Node id of the group coordinator, where the client tracks it (transactional offset commits go there). */
  readonly coordinator?: number;
}

/**
 * One fetched batch of one partition, handed to the application by the async iterator.
 * The partition's next batch is not handed out until this one is settled with `release()`,
 * `fail()` or `abandon()`: that is the backpressure, and what keeps a partition in order.
 */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly InputMessage[];
  /** Messages behind the high watermark after this batch. */
  readonly lag: number;
  /** Offset to commit once every message of the batch has an acknowledged outcome. */
  readonly nextOffset: string;
  readonly receivedAt: number;
  /** The consumer group membership the batch was fetched under (for transactional offset commits). */
  readonly membership: GroupMembership;
  /** Keeps the group membership alive during long work (a no-op where the client heartbeats on its own). */
  heartbeat(): Promise<void>;
  /** Commits `nextOffset` to the group (at-least-once mode). */
  commit(): Promise<void>;
  /** Marks the batch processed (offsets committed by `commit` or inside a transaction). */
  release(): void;
  /** Gives the batch back unprocessed: the consumer restarts from the committed offset and fetches it again. */
  fail(error: Error): void;
  /** Releases without processing; the partition's next fetch starts again at this batch. */
  abandon(): void;
}
