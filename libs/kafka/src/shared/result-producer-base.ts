import type { KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';
import type { SendReport, TopicMessages } from '../port/outgoing-message';
import type { ResultProducerOptions } from '../port/producer-options';
import type { ResultProducer, TransactionOffsets } from '../port/result-producer';
import { deliverInChunks, type DeliveryOptions } from './delivery';
import type { TopicLimits } from './topic-limits';
import { sendInTransaction, type TransactionDriver } from './transaction';

/** Runs a client call, turning what it throws into our typed error (`what` names the call). */
export type ClientCall = (what: string, call: () => Promise<unknown>) => Promise<void>;

export function clientCallWith(toKafkaError: (err: unknown, what: string) => KafkaError): ClientCall {
  return async (what, call) => {
    try {
      await call();
    } catch (err) {
      throw toKafkaError(err, what);
    }
  };
}

/**
 * What both result producers do the same way: delivery in chunks with per-message isolation and
 * our retries, one transaction at a time, and, after a commit whose outcome is unknown, reading
 * where the group's offset stands. An adapter supplies the client calls.
 */
export abstract class ResultProducerBase implements ResultProducer {
  protected connected = false;
  private txChain: Promise<unknown> = Promise.resolve();
  protected readonly log: Logger;
  onRetry: ((attempt: number, error: unknown) => void) | undefined;

  protected constructor(
    protected readonly options: ResultProducerOptions,
    private readonly limits: TopicLimits,
    private readonly admin: KafkaAdmin,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'producer' });
  }

  abstract connect(): Promise<void>;
  /** Closes the client; called once the open transaction, if any, has settled. */
  protected abstract close(): Promise<void>;
  /** Sends one chunk (kept under the request limit by deliverInChunks), acks=all. */
  protected abstract sendChunk(chunk: TopicMessages[]): Promise<void>;
  protected abstract transactionDriver(): TransactionDriver;

  isConnected(): boolean {
    return this.connected;
  }

  async disconnect(): Promise<void> {
    await this.txChain.catch(() => undefined);
    await this.close();
  }

  send(batches: TopicMessages[]): Promise<SendReport> {
    return deliverInChunks(batches, (chunk) => this.sendChunk(chunk), this.delivery());
  }

  sendInTransaction(batches: TopicMessages[], offsets: TransactionOffsets): Promise<SendReport> {
    // One producer, one open transaction at a time.
    const run = () => sendInTransaction(batches, offsets, this.transactionDriver(), this.delivery());
    const next = this.txChain.then(run, run);
    this.txChain = next.catch(() => undefined);
    return next;
  }

  /** The group's committed offset of the transaction's partition (-1 when none): did the transaction land? */
  protected async committedOffset(offsets: TransactionOffsets): Promise<bigint> {
    const partitions = await this.admin.partitionOffsets(offsets.membership.groupId, offsets.topic);
    return partitions.find((p) => p.partition === offsets.partition)?.committed ?? -1n;
  }

  private delivery(): DeliveryOptions {
    return {
      maxRequestBytes: this.options.maxRequestBytes,
      limits: this.limits,
      retry: { maxAttempts: this.options.maxAttempts, backoffMs: this.options.retryBackoffMs, onRetry: (a, e) => this.onRetry?.(a, e), log: this.log },
    };
  }
}
