import type { BaseOptions, Consumer, ConsumerGroupJoinPayload, GroupAssignment, Message, MessagesStream } from '@platformatic/kafka';
import { deadline, describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { ConsumedBatch } from '../port/consumed-batch';
import type { BatchConsumerOptions } from '../port/consumer-options';
import type { InputHeaders, InputHeaderValue, InputMessage, RefusedBatch } from '../port/input-message';
import { BatchConsumerBase } from '../shared/batch-consumer-base';
import { isGroupFencing } from '../shared/group-fencing';
import { HandedOutOffsets } from './handed-out-offsets';
import { isPlatformaticRetriable, toKafkaError } from './platformatic-errors';
import { platformaticKafka } from './platformatic-module';

type PlatformaticMessage = Message<Buffer, Buffer, string, Buffer>;

/** What the client puts in every message's metadata about the group membership it was fetched under. */
interface FetchedUnder {
  groupId: string;
  /** Classic protocol only: the client leaves it 0 under KIP-848. */
  generationId: number;
  /** KIP-848's member epoch when the fetch was sent (patches/@platformatic+kafka+2.12.1.patch). */
  memberEpoch: number;
  memberId: string;
  coordinatorId: number;
}

const fetchedUnder = (m: PlatformaticMessage): FetchedUnder => m.metadata['consumer'] as FetchedUnder;
type PlatformaticConsumer = Consumer<Buffer, Buffer, string, Buffer>;

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  pending: PlatformaticMessage[];
  inFlight: boolean;
}

/** Messages the adapter holds between the stream and the iterator, all partitions together; past it, it stops reading. */
const MAX_BUFFERED_MESSAGES = 8_192;
/** The stream's own buffer (its highWaterMark): once full, the client stops fetching. */
const STREAM_HIGH_WATER_MARK = 1_024;

const headerKey = (key: Buffer | undefined): string => key?.toString('utf8') ?? '';
const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function toAssignment(assignments: readonly GroupAssignment[] | null | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const a of assignments ?? []) out[a.topic] = [...a.partitions].sort((x, y) => x - y);
  return out;
}

function sameAssignment(a: Record<string, number[]>, b: Record<string, number[]>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => String(a[k]) === String(b[k]));
}

/** The client's message as ours: strings for offsets and timestamps, headers by name (own properties only). */
function toInputMessage(m: PlatformaticMessage): InputMessage {
  const headers: Record<string, InputHeaderValue | InputHeaderValue[]> = {};
  for (const [name, raw] of m.headerEntries ?? [...m.headers]) {
    const value: InputHeaderValue = (raw as Buffer | undefined) ?? null;
    const seen = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
    const next = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen as InputHeaderValue, value];
    Object.defineProperty(headers, name, { value: next, writable: true, enumerable: true, configurable: true });
  }
  const refused = (m.metadata as { refusedBatch?: RefusedBatch } | undefined)?.refusedBatch;
  return {
    offset: m.offset.toString(),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: headers as InputHeaders,
    timestamp: m.timestamp.toString(),
    ...(refused ? { refusedBatch: refused } : {}),
  };
}

/**
 * The @platformatic/kafka adapter of the batch consumer. Its MessagesStream is read in paused
 * mode: the adapter takes what the stream holds, groups it per partition, and hands out at
 * most one batch per partition (order) and `maxInFlightBatches` in all. Not reading is the
 * pause: the stream's buffer fills and the client stops fetching (its own backpressure).
 *
 * Rebalances (classic protocol): before the client sends JoinGroup it asks `protocolsMetadata`;
 * the adapter answers only once its in-flight batches have finished and committed (bounded by
 * half the rebalance timeout), so they commit with the old generation, and a graceful rebalance
 * produces no duplicates. Unstarted messages are dropped then: after the join the stream fetches
 * again from the committed offsets. With KIP-848 (`groupProtocol: 'consumer'`) the broker moves
 * partitions one by one: messages of revoked partitions that were not started are dropped, and
 * the (patched) client acknowledges the revocation once the batches in flight on them have
 * committed (beforeRevocationAck), so the partitions' next owners start after them. The client also moves the fetch
 * positions of the partitions it keeps back to their committed offsets whenever its assignment
 * grows; records it fetches again while their batch is still in flight are skipped (HandedOutOffsets).
 */
export class PlatformaticBatchConsumer extends BatchConsumerBase {
  private consumer: PlatformaticConsumer | undefined;
  private stream: MessagesStream<Buffer, Buffer, string, Buffer> | undefined;
  private readonly queues = new Map<string, PartitionQueue>();
  private buffered = 0;
  private delivered = 0;
  private rejoining = false;
  private readonly handedOut = new HandedOutOffsets();

  constructor(
    private readonly base: BaseOptions,
    options: BatchConsumerOptions,
    logger: Logger,
  ) {
    super(options, logger, 'consumer');
  }

  protected async startClient(generation: number): Promise<void> {
    const o = this.options;
    const group =
      o.groupProtocol === 'consumer'
        ? { groupProtocol: 'consumer' as const, rebalanceTimeout: o.rebalanceTimeoutMs, beforeRevocationAck: (revoked: GroupAssignment[]) => this.beforeRevocationAck(generation, revoked) }
        : {
            sessionTimeout: o.sessionTimeoutMs,
            heartbeatInterval: o.heartbeatIntervalMs,
            rebalanceTimeout: o.rebalanceTimeoutMs,
            protocolsMetadata: () => this.beforeRejoin(generation),
          };
    const { Consumer, FetchIsolationLevels } = platformaticKafka();
    const consumer: PlatformaticConsumer = new Consumer({
      ...this.base,
      groupId: o.groupId,
      ...(o.groupInstanceId !== undefined ? { groupInstanceId: o.groupInstanceId } : {}),
      ...group,
      autocommit: false,
      maxBytes: o.maxBytes,
      maxBytesPerPartition: o.maxBytesPerPartition,
      maxWaitTime: o.maxWaitTimeMs,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      highWaterMark: STREAM_HIGH_WATER_MARK,
      deserializers: { headerKey },
    });
    this.consumer = consumer;
    // A new client fetches from the committed offsets.
    this.handedOut.clear();
    this.attachListeners(consumer, generation);
    this.markJoining();
    await this.openStream(consumer, generation);
    this.markConnected(true);
    this.checkAssignment(consumer);
  }

  /**
   * A stream that starts at the group's committed offsets. One per group generation (classic
   * protocol): after a rebalance the client would otherwise keep its own fetch positions, and a
   * fetch still in flight across the join can move them past records nobody processed.
   */
  private async openStream(consumer: PlatformaticConsumer, generation: number, previous?: MessagesStream<Buffer, Buffer, string, Buffer>): Promise<void> {
    const o = this.options;
    const { MessagesStreamFallbackModes, MessagesStreamModes } = platformaticKafka();
    let stream: MessagesStream<Buffer, Buffer, string, Buffer>;
    try {
      stream = await consumer.consume({
        topics: o.topics,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: o.fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
        autocommit: false,
      });
    } catch (err) {
      throw toKafkaError(err, 'consumer start failed');
    }
    if (this.isClosing() || generation !== this.generation || consumer !== this.consumer) {
      await Promise.all([stream.close(), previous?.close()]).catch(() => undefined);
      return;
    }
    this.stream = stream;
    stream.on('readable', () => this.drain(consumer, stream));
    stream.on('fetch', () => {
      if (generation === this.generation && stream === this.stream) this.markIdleFetch();
    });
    stream.on('error', (err: unknown) => {
      if (stream !== this.stream) return;
      const error = toKafkaError(err, 'message stream failed');
      this.reportCrash(generation, error, error.retriable, false);
    });
    // Opened before the old one closes, so the topics stay tracked and no join is triggered.
    if (previous) await previous.close().catch(() => undefined);
    this.drain(consumer, stream);
  }

  protected async stopClient(): Promise<void> {
    const { stream, consumer } = this;
    this.stream = undefined;
    this.dropPending();
    await stream?.close().catch(() => undefined);
    // force: closes any stream left and leaves the group.
    await consumer?.close(true).catch((err: unknown) => this.log.warn('consumer close failed', { error: describeError(err) }));
  }

  protected destroyClient(): void {
    void this.consumer?.close(true).catch(() => undefined);
  }

  private attachListeners(consumer: PlatformaticConsumer, generation: number): void {
    const current = () => consumer === this.consumer && generation === this.generation;
    // The client emits 'error' when a rejoin it started on its own fails: it then sends no more
    // heartbeats, so the member is gone. Without a listener the event would kill the process.
    consumer.on('error', (err: unknown) => {
      const error = toKafkaError(err, 'consumer group membership failed');
      if (!current() || this.isClosing()) {
        this.log.debug('error from a consumer being closed', { error: error.toJSON() });
        return;
      }
      this.reportCrash(generation, error, error.retriable, false);
    });
    consumer.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
      if (!current()) return;
      this.rejoining = false;
      // Whatever was read under the old generation is fetched again from the committed offsets,
      // and no batch in flight under it can commit any more.
      this.dropPending();
      this.handedOut.clear();
      const assignment = toAssignment(payload.assignments ?? consumer.assignments);
      this.markJoined(assignment, { memberId: payload.memberId, generationId: payload.generationId, isLeader: payload.isLeader });
      // A rejoin (the first join happens inside consume()): start again from the committed offsets.
      const previous = this.stream;
      if (previous) {
        // Nothing more is read from the old stream; it closes once the new one is open.
        this.stream = undefined;
        this.openStream(consumer, generation, previous).catch((err: unknown) => {
          const error = toKafkaError(err, 'reopening the message stream failed');
          this.reportCrash(generation, error, error.retriable, false);
        });
      }
    });
    consumer.on('consumer:group:rebalance', () => {
      if (current()) this.markRebalancing();
    });
    consumer.on('consumer:heartbeat:end', () => {
      if (!current()) return;
      this.touchContact();
      this.checkAssignment(consumer);
    });
    // Connection events are per connection (every stream has a pool of its own, closed with it),
    // so they say nothing about the member: liveness comes from heartbeats and fetches (contact).
    consumer.on('consumer:heartbeat:error', () => {
      if (current()) this.log.debug('heartbeat failed');
    });
  }

  /** KIP-848 moves partitions through heartbeats, without a join event: follow the assignment there. */
  private checkAssignment(consumer: PlatformaticConsumer): void {
    if (this.rejoining || consumer.assignments === null) return;
    const assignment = toAssignment(consumer.assignments);
    if (sameAssignment(assignment, this.state.assignment)) {
      if (this.state.phase === 'rebalancing') this.state.phase = 'joined';
      return;
    }
    for (const [key, queue] of this.queues) {
      if (!(assignment[queue.topic] ?? []).includes(queue.partition)) {
        this.buffered -= queue.pending.length;
        queue.pending = [];
        this.handedOut.forget(key);
        if (!queue.inFlight) this.queues.delete(key);
      }
    }
    this.abandonQueued((batch) => !(assignment[batch.topic] ?? []).includes(batch.partition));
    this.markJoined(assignment, { groupProtocol: this.options.groupProtocol });
  }

  /**
   * Called by the client before every JoinGroup (classic protocol): hold the join until the
   * batches in flight have committed with the current generation.
   */
  private async beforeRejoin(generation: number): Promise<Buffer> {
    if (generation !== this.generation || this.isClosing()) return Buffer.alloc(0);
    // 'rebalancing' too: a heartbeat answered REBALANCE_IN_PROGRESS makes the client emit its rebalance
    // event (markRebalancing) before it asks for this metadata, and that is how most rebalances begin.
    if ((this.state.phase === 'joined' || this.state.phase === 'rebalancing') && !this.rejoining) {
      this.rejoining = true;
      this.markRebalancing();
      this.dropPending();
      // Their commits land with the current generation while the group waits for this member's
      // JoinGroup; once it is sent the group moves on and the partitions' next owners read the
      // committed offsets. (If this member was already evicted, a commit fails, the client rejoins
      // from inside it and this wait ends at its bound.)
      const waitMs = Math.max(1_000, Math.floor(this.options.rebalanceTimeoutMs / 2));
      const until = deadline(waitMs);
      const outcome = await until.race(this.waitForInFlight());
      until.clear();
      if (outcome === 'timeout') this.log.warn('rejoining with batches still in flight', { waitMs });
    }
    return Buffer.alloc(0);
  }

  /**
   * KIP-848: called by the (patched) client when partitions are revoked, after it stopped fetching
   * them; they stay this member's until this resolves. Queued work of theirs is dropped, and the
   * batches in flight on them finish and commit first, so their next owner starts after them
   * (bounded by half the rebalance timeout, past which the coordinator would fence this member).
   */
  private async beforeRevocationAck(generation: number, revoked: GroupAssignment[]): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || generation !== this.generation) return;
    this.checkAssignment(consumer);
    const isRevoked = (batch: ConsumedBatch) => revoked.some((r) => r.topic === batch.topic && r.partitions.includes(batch.partition));
    const until = deadline(Math.max(1_000, Math.floor(this.options.rebalanceTimeoutMs / 2)));
    const outcome = await until.race(this.waitForInFlight(isRevoked));
    until.clear();
    if (outcome === 'timeout') this.log.warn('giving up revoked partitions with batches still in flight', { revoked: toAssignment(revoked) });
  }

  /**
   * After a commit refused for group fencing: will these messages be fetched again without a
   * restart? Classic: the refusal makes the client rejoin, and every join fetches from the committed
   * offsets. KIP-848: only when the partition has moved to another member (the broker refuses an old
   * epoch for a revoked partition); one still assigned here was fetched past, so the client restarts.
   * A restart leaves and rejoins the group, a rebalance of its own: avoided when it is not needed.
   */
  private refetchedElsewhere(consumer: PlatformaticConsumer, queue: PartitionQueue): boolean {
    if (this.options.groupProtocol !== 'consumer') return true;
    return !(consumer.assignments ?? []).some((a) => a.topic === queue.topic && a.partitions.includes(queue.partition));
  }

  /** Unstarted messages and batches go back: the stream fetches them again from the committed offsets. */
  private dropPending(): void {
    for (const [key, queue] of this.queues) {
      this.buffered -= queue.pending.length;
      queue.pending = [];
      if (!queue.inFlight) this.queues.delete(key);
    }
    this.abandonQueued();
  }

  private drain(consumer: PlatformaticConsumer, stream: MessagesStream<Buffer, Buffer, string, Buffer>): void {
    if (consumer !== this.consumer || stream !== this.stream || this.isClosing()) return;
    if (!this.rejoining) {
      const assignment = this.state.assignment;
      while (this.buffered < MAX_BUFFERED_MESSAGES) {
        const message = stream.read() as PlatformaticMessage | null;
        if (message === null) break;
        // Read under an older generation (before the last join): it is fetched again.
        if (fetchedUnder(message).generationId !== consumer.generationId) continue;
        if (!(assignment[message.topic] ?? []).includes(message.partition)) continue;
        const key = partitionKey(message.topic, message.partition);
        let queue = this.queues.get(key);
        // Fetched again (see HandedOutOffsets): already queued, or in a batch handed out.
        const lastQueued = queue?.pending[queue.pending.length - 1];
        if (lastQueued ? message.offset <= lastQueued.offset : !this.handedOut.isNew(key, message.offset)) continue;
        if (!queue) {
          queue = { topic: message.topic, partition: message.partition, pending: [], inFlight: false };
          this.queues.set(key, queue);
        }
        queue.pending.push(message);
        this.buffered++;
      }
    }
    this.dispatch(consumer);
  }

  /** One batch per partition at a time, at most `maxInFlightBatches` handed out. */
  private dispatch(consumer: PlatformaticConsumer): void {
    if (this.rejoining) return;
    for (const queue of this.queues.values()) {
      if (this.delivered >= this.options.maxInFlightBatches) return;
      if (queue.inFlight || queue.pending.length === 0) continue;
      const messages = queue.pending;
      queue.pending = [];
      this.buffered -= messages.length;
      queue.inFlight = true;
      this.delivered++;
      const key = partitionKey(queue.topic, queue.partition);
      if (this.deliver(this.toBatch(consumer, queue, messages))) {
        this.handedOut.handedOut(key, (messages[messages.length - 1] as PlatformaticMessage).offset + 1n);
      } else {
        queue.inFlight = false;
        this.delivered--;
      }
    }
  }

  private toBatch(consumer: PlatformaticConsumer, queue: PartitionQueue, messages: PlatformaticMessage[]): ConsumedBatch {
    const generation = this.generation;
    const last = messages[messages.length - 1] as PlatformaticMessage;
    const next = last.offset + 1n;
    const meta = fetchedUnder(last);
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      queue.inFlight = false;
      this.delivered--;
      if (queue.pending.length === 0 && consumer === this.consumer) this.queues.delete(partitionKey(queue.topic, queue.partition));
      return true;
    };
    // Not committed: its records must be accepted when they are fetched again.
    const refetchable = () => {
      if (consumer === this.consumer) this.handedOut.forget(partitionKey(queue.topic, queue.partition));
    };
    const resume = () => {
      if (this.stream && consumer === this.consumer) this.drain(consumer, this.stream);
    };
    return {
      topic: queue.topic,
      partition: queue.partition,
      messages: messages.map(toInputMessage),
      // The client does not hand the high watermark to the stream; the worker's lag reader knows it.
      lag: -1,
      nextOffset: next.toString(),
      receivedAt: Date.now(),
      membership: {
        groupId: meta.groupId,
        // KIP-447 fencing needs the epoch of the protocol in use: a generation of 0 is refused by a KIP-848 group.
        generationId: this.options.groupProtocol === 'consumer' ? meta.memberEpoch : meta.generationId,
        memberId: meta.memberId,
        groupInstanceId: this.options.groupInstanceId,
        coordinator: meta.coordinatorId,
      },
      // The client heartbeats on its own timer, whatever the application is doing.
      heartbeat: () => Promise.resolve(),
      commit: async () => {
          try {
          await consumer.commit({ offsets: [{ topic: queue.topic, partition: queue.partition, offset: next, leaderEpoch: last.leaderEpoch ?? -1 }] });
        } catch (err) {
          throw toKafkaError(err, 'offset commit failed');
        }
      },
      release: () => {
        if (settle()) resume();
      },
      fail: (error: Error) => {
        if (!settle()) return;
        refetchable();
        if (isGroupFencing(error) && this.refetchedElsewhere(consumer, queue)) {
          this.log.warn('batch fenced: the group has moved on; it is fetched again from the committed offset', { topic: queue.topic, partition: queue.partition, error: describeError(error) });
          resume();
          return;
        }
        // The stream has moved past these messages, so nothing more may be handed out from it
        // (a later batch of the partition would commit past them): a new client starts again
        // from the committed offsets, as kafkajs does after a failed batch.
        if (consumer === this.consumer && generation === this.generation) {
          this.stream = undefined;
          this.dropPending();
        }
        this.reportCrash(generation, error, isPlatformaticRetriable(error), false);
      },
      // Its outcomes are out (a commit failed) or it is being given back (close, rebalance): nothing to refetch here.
      abandon: () => {
        if (!settle()) return;
        refetchable();
        resume();
      },
    };
  }
}
