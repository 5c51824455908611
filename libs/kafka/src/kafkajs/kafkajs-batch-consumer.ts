import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@sentiment/observability';
import type { BatchConsumerOptions } from '../port/consumer-options';
import { BatchConsumerBase } from '../shared/batch-consumer-base';
import { createKafkajsConsumedBatch } from './kafkajs-consumed-batch';
import { isKafkajsRetriable, toKafkaError } from './kafkajs-errors';

/**
 * The kafkajs adapter of the batch consumer: kafkajs calls `eachBatch`; we park each call on a
 * promise and hand the batch to the iterator. Until it is settled kafkajs fetches nothing more
 * for that partition, and a rebalance waits for it (so in-flight batches commit with the old
 * generation and a graceful rebalance produces no duplicates).
 *
 * kafkajs restarts itself after retriable errors; `restartOnFailure` stops it from doing so once
 * we are closing, so nothing joins or fetches after close() began.
 */
export class KafkajsBatchConsumer extends BatchConsumerBase {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    options: BatchConsumerOptions,
    logger: Logger,
  ) {
    super(options, logger, 'consumer');
  }

  protected async startClient(generation: number): Promise<void> {
    const o = this.options;
    const consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      rebalanceTimeout: o.rebalanceTimeoutMs,
      maxBytesPerPartition: o.maxBytesPerPartition,
      maxBytes: o.maxBytes,
      maxWaitTimeInMs: o.maxWaitTimeMs,
      readUncommitted: false,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.isClosing() },
    });
    this.consumer = consumer;
    this.attachListeners(consumer, generation);
    await consumer.connect();
    if (this.isClosing()) return;
    await consumer.subscribe({ topics: o.topics, fromBeginning: o.fromBeginning });
    if (this.isClosing()) return;
    this.markJoining();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.maxInFlightBatches,
      eachBatch: (payload) => this.onBatch(consumer, payload),
    });
  }

  protected async stopClient(): Promise<void> {
    await this.consumer?.disconnect();
  }

  protected destroyClient(): void {
    // disconnect() closes every socket; a join or fetch still pending fails with it.
    void this.consumer?.disconnect().catch(() => undefined);
  }

  private attachListeners(consumer: Consumer, generation: number): void {
    const { events } = consumer;
    const current = () => consumer === this.consumer && generation === this.generation;
    consumer.on(events.CONNECT, () => {
      if (current()) this.markConnected(true);
    });
    consumer.on(events.DISCONNECT, () => {
      if (current()) this.markConnected(false);
    });
    consumer.on(events.REQUEST, () => {
      if (current()) this.touchContact();
    });
    consumer.on(events.GROUP_JOIN, (e) => {
      if (!current()) return;
      const assignment: Record<string, number[]> = {};
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) assignment[topic] = [...partitions];
      this.markJoined(assignment, { isLeader: e.payload.isLeader, durationMs: e.payload.duration, memberId: e.payload.memberId });
    });
    consumer.on(events.FETCH, () => {
      if (current()) this.markIdleFetch();
    });
    consumer.on(events.REBALANCING, () => {
      if (current()) this.markRebalancing();
    });
    consumer.on(events.CRASH, (e) => {
      const { error, restart } = e.payload;
      this.reportCrash(generation, error, isKafkajsRetriable(error), restart);
    });
  }

  private onBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    if (this.isClosing() || consumer !== this.consumer || payload.batch.messages.length === 0) {
      // Not resolving the offset means kafkajs refetches these messages (or another member does).
      if (payload.batch.messages.length === 0 && !this.isClosing()) payload.resolveOffset(payload.batch.lastOffset());
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const batch = createKafkajsConsumedBatch(
        payload,
        { resolve, reject },
        // kafkajs 2.2.4 has no KIP-447: its TxnOffsetCommit carries the group id only.
        { groupId: this.options.groupId, generationId: -1, memberId: '', groupInstanceId: undefined },
        (offsets) =>
          consumer.commitOffsets(offsets).catch((err: unknown) => {
            throw toKafkaError(err, 'offset commit failed');
          }),
      );
      if (!this.deliver(batch)) resolve();
    });
  }
}
