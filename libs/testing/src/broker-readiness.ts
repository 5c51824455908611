import { setTimeout as sleep } from 'node:timers/promises';
import { type SASLOptions } from 'kafkajs';
import { KafkaHarnessError } from './harness-error';
import { testKafka } from './test-kafka-client';

export interface ReadinessOptions {
  timeoutMs: number;
  sasl?: SASLOptions;
  /** Returns a reason to give up early (e.g. the broker process exited), or undefined to keep waiting. */
  abortReason?: () => string | undefined;
  /** In a cluster: wait until this node id is among the live (unfenced) brokers, not just any. */
  nodeId?: number;
}

/**
 * Waits until a broker answers a metadata request and lists itself as a live broker (a KRaft broker
 * is listed only once the controller has unfenced it, i.e. when it can actually serve partitions).
 */
export async function waitForBroker(bootstrap: string, options: ReadinessOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no answer yet';
  for (;;) {
    const abort = options.abortReason?.();
    if (abort) throw new KafkaHarnessError(`broker at ${bootstrap} will not become ready: ${abort}`);
    const admin = testKafka(bootstrap, {
      clientId: 'kafka-harness-readiness',
      retry: { retries: 0 },
      connectionTimeout: 1000,
      requestTimeout: 3000,
      ...(options.sasl ? { sasl: options.sasl } : {}),
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const listed = options.nodeId === undefined ? cluster.brokers.length > 0 : cluster.brokers.some((b) => b.nodeId === options.nodeId);
      if (listed) return;
      lastError = options.nodeId === undefined ? 'no live broker in metadata' : `node ${options.nodeId} not yet among the live brokers`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() >= deadline) {
      throw new KafkaHarnessError(`broker at ${bootstrap} not ready after ${options.timeoutMs} ms: ${lastError}`);
    }
    await sleep(200);
  }
}
