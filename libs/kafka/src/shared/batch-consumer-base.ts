import { EventEmitter } from 'node:events';
import { describeError, KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { BatchConsumer, BatchConsumerEvents } from '../port/batch-consumer';
import type { ConsumedBatch } from '../port/consumed-batch';
import { contactTimeoutOf, stableAfterOf, type BatchConsumerOptions } from '../port/consumer-options';
import type { ConsumerState } from '../port/consumer-state';
import { deadline, type Deadline } from '@sentiment/errors';

/**
 * What both client adapters share: the queue behind the async iterator, the in-flight set that
 * close() waits on, the state /health and /ready read, the restart policy after a crash, and a
 * close() that keeps its deadline in every phase. An adapter only starts and stops its client
 * and hands batches to `deliver()`.
 *
 * Restart policy: clients recover from retriable failures on their own. After a non-retriable
 * crash the adapter's client is rebuilt with exponential backoff; after `maxRestarts`
 * consecutive crashes without a completed batch, `fatal` is emitted and the process exits
 * non-zero for its supervisor.
 */
/** How long a client that never became a member gets to close before its connections are dropped. */
const NON_MEMBER_STOP_GRACE_MS = 1_000;

export abstract class BatchConsumerBase extends EventEmitter<BatchConsumerEvents> implements BatchConsumer {
  protected readonly log: Logger;
  protected readonly state: ConsumerState = { phase: 'idle', connected: false, inContact: false, assignment: {}, crashes: 0, restarts: 0 };
  private readonly queue: ConsumedBatch[] = [];
  private readonly inFlight = new Set<ConsumedBatch>();
  private drainedWaiters: { of: (batch: ConsumedBatch) => boolean; resolve: () => void }[] = [];
  private waiter: (() => void) | undefined;
  private closing = false;
  private closePromise: Promise<void> | undefined;
  private startPromise: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private consecutiveRestarts = 0;
  private lastContact = 0;
  /** Bumped on every (re)start: a client from an older generation can no longer report anything. */
  protected generation = 0;

  constructor(
    protected readonly options: BatchConsumerOptions,
    logger: Logger,
    component: string,
  ) {
    super();
    this.log = logger.child({ component, groupId: options.groupId });
  }

  /** Starts the client for generation `generation`; rejects when it cannot. Checks `isClosing()` between steps. */
  protected abstract startClient(generation: number): Promise<void>;
  /** Leaves the group and closes the client gracefully. */
  protected abstract stopClient(): Promise<void>;
  /** The close deadline passed: drop connections without waiting for anything. Never throws. */
  protected abstract destroyClient(): void;

  start(): Promise<void> {
    this.startPromise ??= this.closing ? Promise.resolve() : this.runClient();
    return this.startPromise;
  }

  getState(): ConsumerState {
    const inContact = this.lastContact > 0 && Date.now() - this.lastContact <= contactTimeoutOf(this.options);
    return {
      ...this.state,
      inContact,
      ...(this.lastContact > 0 ? { lastContactAt: new Date(this.lastContact).toISOString() } : {}),
      assignment: { ...this.state.assignment },
    };
  }

  async *batches(): AsyncGenerator<ConsumedBatch, void, undefined> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.inFlight.add(next);
        yield next;
        continue;
      }
      if (this.closing) return;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closePromise ??= this.doClose(deadline(options.timeoutMs ?? 30_000));
    return this.closePromise;
  }

  protected isClosing(): boolean {
    return this.closing;
  }

  /** Queues a batch for the iterator; the adapter's client waits on the settle callbacks. Returns false when closing (the adapter gives it back). */
  protected deliver(batch: ConsumedBatch): boolean {
    if (this.closing) return false;
    this.queue.push(this.track(batch));
    this.waiter?.();
    return true;
  }

  /** Whether batches are queued or being processed (a fetch with none counts toward "stable"). */
  protected hasPendingBatches(): boolean {
    return this.inFlight.size > 0 || this.queue.length > 0;
  }

  protected inFlightBatches(): readonly ConsumedBatch[] {
    return [...this.inFlight];
  }

  /** Resolves once no batch `of` selects is in flight (queued batches are not waited for). */
  protected waitForInFlight(of: (batch: ConsumedBatch) => boolean = () => true): Promise<void> {
    if (![...this.inFlight].some(of)) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push({ of, resolve }));
  }

  /** Unstarted batches go back to the client uncommitted (a rebalance, or closing). */
  protected abandonQueued(filter: (batch: ConsumedBatch) => boolean = () => true): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const batch = this.queue[i] as ConsumedBatch;
      if (!filter(batch)) continue;
      this.queue.splice(i, 1);
      batch.abandon();
    }
  }

  protected touchContact(): void {
    this.lastContact = Date.now();
  }

  protected markConnected(connected: boolean): void {
    this.state.connected = connected;
    if (!connected && (this.state.phase === 'joined' || this.state.phase === 'rebalancing')) this.state.phase = 'connecting';
  }

  protected markJoining(): void {
    if (!this.closing) this.state.phase = 'joining';
  }

  protected markJoined(assignment: Record<string, number[]>, details: Record<string, unknown> = {}): void {
    if (this.closing) return;
    this.touchContact();
    this.state.assignment = assignment;
    this.state.phase = 'joined';
    this.state.lastJoinAt = new Date().toISOString();
    this.log.info('joined consumer group', { assignment, ...details });
    this.emit('joined', assignment);
  }

  protected markRebalancing(): void {
    if (this.state.phase === 'joined') this.state.phase = 'rebalancing';
  }

  /**
   * A fetch with nothing in flight, `stableAfterMs` after joining: a restarted consumer on an idle
   * topic never completes a batch, and without this it would count as "still crashing" forever.
   * A poison batch fetched again right after each rejoin never gets here (it is in flight).
   */
  protected markIdleFetch(): void {
    const joinedAt = this.state.lastJoinAt ? Date.parse(this.state.lastJoinAt) : Number.NaN;
    this.touchContact();
    if (this.state.phase !== 'joined' || this.hasPendingBatches() || !(Date.now() - joinedAt >= stableAfterOf(this.options))) return;
    this.consecutiveRestarts = 0;
    this.state.lastStableAt = new Date().toISOString();
  }

  /**
   * The client of generation `generation` crashed. `clientRestarts`: the client recovers by
   * itself; otherwise we rebuild it with backoff. A retriable crash (a lost broker) is retried
   * at the initial backoff and does not count toward `maxRestarts`: outages are not fatal.
   */
  protected reportCrash(generation: number, error: Error, retriable: boolean, clientRestarts: boolean): void {
    if (generation !== this.generation || this.closing) return;
    this.state.crashes++;
    this.state.lastCrashAt = new Date().toISOString();
    this.state.phase = 'crashed';
    this.state.connected = false;
    this.state.lastError = describeError(error);
    this.log.error('consumer crashed', { error: describeError(error), clientRestarts });
    this.emit('crash', { error, restart: clientRestarts, retriable });
    // Batches handed out by the dead client can no longer commit; the new one refetches them.
    if (clientRestarts) {
      this.state.phase = 'restarting';
      return;
    }
    this.scheduleRestart(retriable);
  }

  private async runClient(): Promise<void> {
    const generation = ++this.generation;
    this.state.phase = 'connecting';
    try {
      await this.startClient(generation);
    } catch (err) {
      if (this.closing) return;
      const error = err instanceof Error ? err : new Error(String(err));
      this.reportCrash(generation, error, (err as { retriable?: boolean }).retriable === true, false);
    }
  }

  private scheduleRestart(retriable: boolean): void {
    const max = this.options.maxRestarts;
    if (!retriable && max > 0 && this.consecutiveRestarts >= max) {
      const fatal = new KafkaError('KAFKA_CONSUMER_CRASHED', `consumer crashed ${this.consecutiveRestarts + 1} times in a row without completing a batch; giving up`, {
        retriable: false,
        details: { lastError: this.state.lastError },
      });
      this.state.phase = 'fatal';
      this.log.error('consumer will not be restarted', { error: fatal.toJSON() });
      this.emit('fatal', fatal);
      return;
    }
    const backoff = this.options.restartBackoffMs;
    const delayMs = retriable ? backoff.initial : Math.min(backoff.max, backoff.initial * 2 ** this.consecutiveRestarts);
    if (!retriable) this.consecutiveRestarts++;
    this.state.restarts++;
    this.state.phase = 'restarting';
    this.emit('restart', { attempt: this.consecutiveRestarts, delayMs });
    this.log.warn('restarting consumer', { attempt: this.consecutiveRestarts, delayMs, retriable });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void (async () => {
        // The dead client's other batches finish first (their commits may still land): the new
        // client must not process the same records beside them.
        const settled = deadline(this.options.rebalanceTimeoutMs);
        await settled.race(this.waitForInFlight());
        settled.clear();
        await this.stopClient().catch(() => undefined);
        if (this.closing) return;
        await this.runClient();
      })();
    }, delayMs);
    this.restartTimer.unref?.();
  }

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
    if (!this.inFlight.delete(batch)) return;
    const remaining = [...this.inFlight];
    const waiters = this.drainedWaiters;
    this.drainedWaiters = [];
    for (const w of waiters) {
      if (remaining.some(w.of)) this.drainedWaiters.push(w);
      else w.resolve();
    }
  }

  private async doClose(until: Deadline): Promise<void> {
    // Not a member yet (connecting, joining, between restarts): there is nothing to commit or
    // leave, and a join the coordinator holds (a dead member's session must expire) would keep
    // a graceful stop waiting to the deadline. Such a client gets a moment, then is dropped.
    const member = this.state.phase === 'joined' || this.state.phase === 'rebalancing';
    this.closing = true;
    this.state.phase = 'stopping';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.abandonQueued();
    this.waiter?.();
    try {
      if ((await until.race(this.waitForInFlight())) === 'timeout') {
        this.log.warn('in-flight batches did not finish before the close deadline', { inFlight: this.inFlight.size });
      }
      const stopping = this.stopClient().catch((err: unknown) => this.log.warn('consumer stop failed', { error: describeError(err) }));
      const stopped = member ? await until.race(stopping) : await deadline(Math.min(NON_MEMBER_STOP_GRACE_MS, until.remainingMs())).race(stopping);
      if (stopped === 'timeout') {
        this.log.warn('the Kafka client did not stop before the close deadline; dropping its connections');
        this.destroyClient();
      }
    } finally {
      until.clear();
      this.state.phase = 'stopped';
      this.state.connected = false;
    }
  }
}
