import { setTimeout as sleep } from 'node:timers/promises';
import { testKafka } from '@sentiment/testing';
import { callEvents } from './call-events';

export interface InputStream {
  /** Messages acknowledged by the broker so far. */
  produced(): number;
  /** Sends that failed (e.g. while the broker is down); they are retried, not dropped. */
  failures(): number;
  /** Stops producing; resolves with the number of acknowledged messages. */
  stop(): Promise<number>;
}

export interface InputStreamOptions {
  prefix: string;
  /** Messages per send (default 20). */
  perSend?: number;
  /** Pause between sends (default 100 ms). */
  everyMs?: number;
}

/**
 * Keeps producing call events to `topic` until stop(), riding out broker outages: a failed send
 * is retried after a pause. A send whose acknowledgement was lost may land twice in the input
 * topic; that does not matter because the ledger takes its inputs from the topic itself.
 */
export function startInputStream(bootstrap: string, topic: string, options: InputStreamOptions): InputStream {
  const perSend = options.perSend ?? 20;
  const everyMs = options.everyMs ?? 100;
  const producer = testKafka(bootstrap, {
    clientId: `input-stream-${options.prefix}`,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  }).producer({ allowAutoTopicCreation: false });
  let produced = 0;
  let failures = 0;
  let stopping = false;
  let next = 0;
  const loop = (async () => {
    let connected = false;
    while (!stopping) {
      try {
        if (!connected) {
          await producer.connect();
          connected = true;
        }
        await producer.send({ topic, acks: -1, messages: callEvents(perSend, options.prefix, next).map((m) => ({ key: m.key as string, value: JSON.stringify(m.value) })) });
        next += perSend;
        produced += perSend;
        await sleep(everyMs);
      } catch {
        failures++;
        await sleep(500);
      }
    }
    await producer.disconnect().catch(() => undefined);
  })();
  return {
    produced: () => produced,
    failures: () => failures,
    async stop() {
      stopping = true;
      await loop;
      return produced;
    },
  };
}
