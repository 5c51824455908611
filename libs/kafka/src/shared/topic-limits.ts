import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';

/** What the broker accepts per record batch on each topic the worker writes. */
export interface TopicLimits {
  /** The topic's effective max.message.bytes, or undefined until it is known. */
  maxMessageBytes(topic: string): number | undefined;
}

/**
 * Reads the topics' max.message.bytes at start-up and again every `refreshMs`, so a changed
 * topic config is picked up without a restart. Until the first read succeeds nothing is
 * assumed (the broker's own answer then decides).
 */
export class TopicLimitsWatcher implements TopicLimits {
  private readonly limits = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly admin: KafkaAdmin,
    private readonly topics: string[],
    private readonly log: Logger,
    private readonly refreshMs = 30_000,
  ) {}

  maxMessageBytes(topic: string): number | undefined {
    return this.limits.get(topic);
  }

  /** One read now; later reads run in the background. Never throws. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  refresh(): Promise<void> {
    this.running ??= (async () => {
      try {
        const read = await this.admin.maxMessageBytes(this.topics);
        for (const [topic, bytes] of read) {
          const before = this.limits.get(topic);
          if (before !== bytes) this.log.info('topic max.message.bytes', { topic, bytes, ...(before !== undefined ? { before } : {}) });
          this.limits.set(topic, bytes);
        }
      } catch (err) {
        this.log.warn('could not read the topics max.message.bytes; keeping what is known', { error: describeError(err) });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
