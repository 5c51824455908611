import { EventEmitter } from 'node:events';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { describeError, KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import { createConsumedBatch, type ConsumedBatch } from './consumed-batch';
import { toKafkaError } from './kafka-error-mapping';

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Batches of different partitions handed out at once; bounds in-flight work. */
  maxInFlightBatches?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  maxBytesPerPartition?: number;
  maxBytes?: number;
  maxWaitTimeMs?: number;
  /** `read_committed` skips aborted transactional records. */
  readUncommitted?: boolean;
  /** Restarts after a non-retriable crash before giving up (0 = never give up). */
  maxRestarts?: number;
  restartBackoffMs?: { initial: number; max: number };
  /** In the group this long without a crash, idle, counts as recovered (default max(10 s, 3 heartbeats)). */
  stableAfterMs?: number;
  /**
   * Without a single answer from the broker for this long, the consumer counts as out of contact
   * (`inContact: false`). kafkajs keeps a consumer "joined" while it retries a lost connection for
   * many seconds, so this is what tells /ready the broker is gone. Fetches (every maxWaitTimeMs
   * when idle) and heartbeats (also sent while a batch is scored) keep it fresh.
   * Default: max(5 s, 3 heartbeat intervals).
   */
  contactTimeoutMs?: number;
}

export type ConsumerPhase = 'idle' | 'connecting' | 'joined' | 'rebalancing' | 'crashed' | 'restarting' | 'stopping' | 'stopped' | 'fatal';

export interface ConsumerState {
  phase: ConsumerPhase;
  connected: boolean;
  /** The broker answered a request within `contactTimeoutMs`. */
  inContact: boolean;
  /** ISO 8601 time of the broker's last answer to this consumer. */
  lastContactAt?: string;
  /** Partitions assigned at the last join, per topic. */
  assignment: Record<string, number[]>;
  lastError?: Record<string, unknown>;
  crashes: number;
  restarts: number;
  lastJoinAt?: string;
  lastCrashAt?: string;
  lastBatchAt?: string;
  /**
   * Last time the consumer proved healthy: a batch completed, or it fetched with nothing in
   * flight after `stableAfterMs` in its group (an idle topic). After a crash, a later value
   * means it recovered.
   */
  lastStableAt?: string;
}

export interface BatchConsumerEvents {
  crash: [{ error: Error; restart: boolean; retriable: boolean }];
  restart: [{ attempt: number; delayMs: number }];
  fatal: [KafkaError];
  joined: [Record<string, number[]>];
}

interface PendingBatch {
  batch: ConsumedBatch;
}

/**
 * A kafkajs consumer group exposed as an async iterator of batches:
 *
 *   for await (const batch of consumer.batches()) { ... batch.commit(); batch.release() }
 *
 * kafkajs calls `eachBatch`; we park each call on a promise and hand the batch to the
 * iterator. Until the application settles it, kafkajs fetches nothing more for that
 * partition, so memory and in-flight work stay bounded by `maxInFlightBatches`. Nothing
 * here runs long synchronously: the event loop stays free for the HTTP server.
 *
 * Crashes: kafkajs restarts itself after retriable errors. After a non-retriable one it
 * stops for good ("restart: false"), so we build a fresh kafkajs consumer with backoff and
 * report the crash; after `maxRestarts` consecutive failures we emit `fatal` and the
 * process exits non-zero for its supervisor.
 */
export class AsyncBatchConsumer extends EventEmitter<BatchConsumerEvents> {
  private consumer: Consumer | undefined;
  private readonly queue: PendingBatch[] = [];
  private waiter: (() => void) | undefined;
  private closing = false;
  private closePromise: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private consecutiveRestarts = 0;
  private readonly inFlight = new Set<ConsumedBatch>();
  private readonly log: Logger;
  private readonly state: ConsumerState = { phase: 'idle', connected: false, inContact: false, assignment: {}, crashes: 0, restarts: 0 };
  private lastContact = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchConsumerOptions,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ component: 'consumer', groupId: options.groupId });
  }

  /** Connects, subscribes and starts fetching. Retries the first connection until it works or close() is called. */
  async start(): Promise<void> {
    if (this.consumer) return;
    await this.startConsumer();
  }

  getState(): ConsumerState {
    const o = this.options;
    const contactTimeoutMs = o.contactTimeoutMs ?? Math.max(5000, 3 * (o.heartbeatIntervalMs ?? 3000));
    const inContact = this.lastContact > 0 && Date.now() - this.lastContact <= contactTimeoutMs;
    return {
      ...this.state,
      inContact,
      ...(this.lastContact > 0 ? { lastContactAt: new Date(this.lastContact).toISOString() } : {}),
      assignment: { ...this.state.assignment },
    };
  }

  /** In the group with partitions (or an empty assignment), not crashed, and the broker answers. */
  isJoined(): boolean {
    return this.state.phase === 'joined' && this.getState().inContact;
  }

  async *batches(): AsyncGenerator<ConsumedBatch, void, undefined> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.inFlight.add(next.batch);
        yield next.batch;
        continue;
      }
      if (this.closing) return;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  /** Wraps a batch so settling it also updates the in-flight set that close() waits on. */
  private track(batch: ConsumedBatch): ConsumedBatch {
    const tracked: ConsumedBatch = {
      ...batch,
      release: () => {
        this.consecutiveRestarts = 0;
        this.state.lastBatchAt = new Date().toISOString();
        this.state.lastStableAt = this.state.lastBatchAt;
        batch.release();
        this.settled(tracked);
      },
      fail: (error: Error) => {
        batch.fail(error);
        this.settled(tracked);
      },
      abandon: () => {
        batch.abandon();
        this.settled(tracked);
      },
    };
    return tracked;
  }

  private settled(batch: ConsumedBatch): void {
    this.inFlight.delete(batch);
    if (this.inFlight.size === 0) this.emitDrained();
  }

  private drainedWaiters: (() => void)[] = [];
  private emitDrained(): void {
    const waiters = this.drainedWaiters;
    this.drainedWaiters = [];
    for (const w of waiters) w();
  }

  private waitForInFlight(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private wake(): void {
    this.waiter?.();
  }

  private async startConsumer(): Promise<void> {
    const o = this.options;
    const consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs ?? 30000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3000,
      rebalanceTimeout: o.rebalanceTimeoutMs ?? 60000,
      maxBytesPerPartition: o.maxBytesPerPartition ?? 1_048_576,
      maxBytes: o.maxBytes ?? 10_485_760,
      maxWaitTimeInMs: o.maxWaitTimeMs ?? 1000,
      readUncommitted: o.readUncommitted ?? false,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    this.consumer = consumer;
    this.attachListeners(consumer);
    this.state.phase = 'connecting';
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: o.topics, fromBeginning: o.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.maxInFlightBatches ?? 3,
        eachBatch: (payload) => this.onBatch(consumer, payload),
      });
    } catch (err) {
      // connect/subscribe failures never reach kafkajs' crash handler: treat them the same way.
      if (this.closing) return;
      this.handleCrash(consumer, toKafkaError(err, 'consumer start failed'), false);
    }
  }

  private attachListeners(consumer: Consumer): void {
    const { events } = consumer;
    consumer.on(events.CONNECT, () => {
      this.state.connected = true;
    });
    consumer.on(events.DISCONNECT, () => {
      this.state.connected = false;
      if (this.state.phase === 'joined' || this.state.phase === 'rebalancing') this.state.phase = 'connecting';
    });
    consumer.on(events.REQUEST, () => {
      this.lastContact = Date.now();
    });
    consumer.on(events.GROUP_JOIN, (e) => {
      this.lastContact = Date.now();
      const assignment: Record<string, number[]> = {};
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) assignment[topic] = [...partitions];
      this.state.assignment = assignment;
      this.state.phase = 'joined';
      this.state.lastJoinAt = new Date().toISOString();
      this.log.info('joined consumer group', { assignment, isLeader: e.payload.isLeader, durationMs: e.payload.duration });
      this.emit('joined', assignment);
    });
    consumer.on(events.FETCH, () => {
      // A restarted consumer on an idle topic never completes a batch: without this it would
      // count as "still crashing" forever, and its old crashes would count toward maxRestarts.
      // Nothing in flight: a poison batch fetched again right after each rejoin never gets here.
      const o = this.options;
      const stableAfterMs = o.stableAfterMs ?? Math.max(10_000, 3 * (o.heartbeatIntervalMs ?? 3000));
      const joinedAt = this.state.lastJoinAt ? Date.parse(this.state.lastJoinAt) : Number.NaN;
      if (this.state.phase !== 'joined' || this.inFlight.size > 0 || this.queue.length > 0 || !(Date.now() - joinedAt >= stableAfterMs)) return;
      this.consecutiveRestarts = 0;
      this.state.lastStableAt = new Date().toISOString();
    });
    consumer.on(events.REBALANCING, () => {
      if (this.state.phase === 'joined') this.state.phase = 'rebalancing';
    });
    consumer.on(events.CRASH, (e) => {
      const { error, restart } = e.payload;
      this.handleCrash(consumer, error, restart);
    });
  }

  private handleCrash(consumer: Consumer, error: Error, kafkajsRestarts: boolean): void {
    if (consumer !== this.consumer || this.closing) return;
    const retriable = (error as { retriable?: boolean }).retriable === true || error.name === 'KafkaJSNumberOfRetriesExceeded';
    this.state.crashes++;
    this.state.lastCrashAt = new Date().toISOString();
    this.state.phase = 'crashed';
    this.state.connected = false;
    this.state.lastError = describeError(error);
    this.log.error('consumer crashed', { error: describeError(error), kafkajsRestarts });
    this.emit('crash', { error, restart: kafkajsRestarts, retriable });
    // Batches handed out by the dead consumer can no longer commit; the new one refetches them.
    if (kafkajsRestarts) {
      this.state.phase = 'restarting';
      return;
    }
    this.scheduleRestart(consumer);
  }

  private scheduleRestart(dead: Consumer): void {
    const max = this.options.maxRestarts ?? 10;
    if (max > 0 && this.consecutiveRestarts >= max) {
      const fatal = new KafkaError('KAFKA_CONSUMER_CRASHED', `consumer crashed ${this.consecutiveRestarts + 1} times in a row without completing a batch; giving up`, {
        retriable: false,
        details: { lastError: this.state.lastError },
      });
      this.state.phase = 'fatal';
      this.log.error('consumer will not be restarted', { error: fatal.toJSON() });
      this.emit('fatal', fatal);
      return;
    }
    const backoff = this.options.restartBackoffMs ?? { initial: 1000, max: 30000 };
    const delayMs = Math.min(backoff.max, backoff.initial * 2 ** this.consecutiveRestarts);
    this.consecutiveRestarts++;
    this.state.restarts++;
    this.state.phase = 'restarting';
    this.emit('restart', { attempt: this.consecutiveRestarts, delayMs });
    this.log.warn('restarting consumer', { attempt: this.consecutiveRestarts, delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void (async () => {
        await dead.disconnect().catch(() => undefined);
        if (this.closing) return;
        await this.startConsumer();
      })();
    }, delayMs);
    this.restartTimer.unref?.();
  }

  private onBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    if (this.closing || consumer !== this.consumer || payload.batch.messages.length === 0) {
      // Not resolving the offset means kafkajs refetches these messages (or another member does).
      if (payload.batch.messages.length === 0 && !this.closing) payload.resolveOffset(payload.batch.lastOffset());
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const raw = createConsumedBatch(payload, { resolve, reject }, (offsets) =>
        consumer.commitOffsets(offsets).catch((err: unknown) => {
          throw toKafkaError(err, 'offset commit failed');
        }),
      );
      this.queue.push({ batch: this.track(raw) });
      this.wake();
    });
  }

  /**
   * Stops cleanly, at most once: no new batches, queued (unstarted) batches are given back
   * uncommitted, batches being processed are awaited (they commit), then the group is left.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closePromise ??= this.doClose(options.timeoutMs ?? 30000);
    return this.closePromise;
  }

  private async doClose(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.state.phase = 'stopping';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const pending of this.queue.splice(0)) pending.batch.abandon();
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.waitForInFlight().then(() => 'drained' as const), timedOut]);
      if (outcome === 'timeout') this.log.warn('in-flight batches did not finish before the close deadline', { inFlight: this.inFlight.size });
      const consumer = this.consumer;
      if (consumer) {
        await Promise.race([consumer.disconnect().catch((err: unknown) => this.log.warn('disconnect failed', { error: describeError(err) })), timedOut]);
      }
    } finally {
      clearTimeout(timer);
      this.state.phase = 'stopped';
      this.state.connected = false;
    }
  }
}
