import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';

/** A producer writing `perSecond` events to a topic in ticks of 100 ms until stopped; unacknowledged sends are retried. */
export class SteadyInput {
  private acked = 0;
  private failed = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(bootstrap: string, topic: string, texts: readonly string[], perSecond: number, prefix: string) {
    const producer = new Kafka({ clientId: `steady-input-${prefix}`, brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
    const perTick = Math.max(1, Math.round(perSecond / 10));
    this.done = (async () => {
      await producer.connect();
      let n = 0;
      let next = Date.now();
      while (this.running) {
        const messages = Array.from({ length: perTick }, (_, i) => {
          const call_id = `${prefix}-${n + i}`;
          return { key: call_id, value: JSON.stringify({ call_id, text: texts[(n + i) % texts.length] }) };
        });
        try {
          await producer.send({ topic, acks: -1, messages });
          n += perTick;
          this.acked += perTick;
        } catch {
          this.failed++;
        }
        next += 100;
        await sleep(Math.max(0, next - Date.now()));
      }
      await producer.disconnect();
    })();
  }

  /** Stops producing; resolves with the number of events the broker acknowledged. */
  async stop(): Promise<{ acked: number; failedSends: number }> {
    this.running = false;
    await this.done;
    return { acked: this.acked, failedSends: this.failed };
  }
}
