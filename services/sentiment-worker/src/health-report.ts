import type { ConsumerHealthState, HealthReport, ReadinessReport } from '@sentiment/http';
import type { ConsumerState } from '@sentiment/kafka';
import type { ScorerHealth } from '@sentiment/scoring';

/*
 * /health and /ready as pure functions of what the worker's parts report, so every state
 * (starting, joined, crashed and rejoined, broker gone, shutting down, fatal) can be tested
 * without a broker. sentiment-worker.ts gathers the inputs and keeps the metrics.
 */

/** The consumer's own report: plain data (libs/kafka's ConsumerState), no client library types. */
export type ConsumerSnapshot = Pick<
  ConsumerState,
  'phase' | 'connected' | 'inContact' | 'lastContactAt' | 'assignment' | 'lastError' | 'crashes' | 'restarts' | 'lastCrashAt' | 'lastBatchAt' | 'lastStableAt'
>;

/** What the worker's parts say right now. */
export interface WorkerProbes {
  consumer: ConsumerSnapshot;
  producer: {
    connected: boolean;
    /** Why the last connect attempt failed (wrong credentials, unreachable broker); unset once connected. */
    connectError?: { code: string; message: string } | undefined;
    /** Why results are not being delivered although connected (an attempt failed, a send waits on the broker). */
    cannotDeliver?: string | undefined;
  };
  scorer: ScorerHealth;
  /** RoBERTa loaded at start-up (VADER-only otherwise). */
  modelLoaded: boolean;
  /** Shutdown has begun. */
  stopping: boolean;
  /** The consumer gave up for good: the process must be restarted. */
  fatalError?: { message: string } | undefined;
  uptimeMs: number;
}

/** What does not change while the worker runs. */
export interface WorkerIdentity {
  service: string;
  version: string;
  groupId: string;
  topics: string[];
  processingMode: string;
}

/** In its group and heard from the broker recently (the `kafka connected` gauge). */
export function consumerInContact(consumer: ConsumerSnapshot): boolean {
  return consumer.phase === 'joined' && consumer.inContact;
}

export function readinessReport(probes: WorkerProbes): ReadinessReport {
  const { consumer, producer } = probes;
  const reasons: string[] = [];
  if (probes.stopping) reasons.push('shutting down');
  if (probes.fatalError) reasons.push(`consumer stopped for good: ${probes.fatalError.message}`);
  if (consumer.phase !== 'joined') reasons.push(`kafka consumer not in its group (${consumer.phase})`);
  // kafkajs stays "joined" while it retries a lost connection: no answer for a while means the broker is gone.
  else if (!consumer.inContact) reasons.push(`kafka broker has not answered the consumer since ${consumer.lastContactAt ?? 'start-up'}`);
  if (!producer.connected) {
    reasons.push(producer.connectError ? `kafka producer not connected: ${producer.connectError.code}: ${producer.connectError.message}` : 'kafka producer not connected');
  }
  if (producer.cannotDeliver) reasons.push(producer.cannotDeliver);
  return { ready: reasons.length === 0, reasons };
}

export function healthReport(identity: WorkerIdentity, probes: WorkerProbes): HealthReport {
  const { consumer, producer, scorer, stopping, fatalError } = probes;
  const reasons: string[] = [];
  if (scorer.status === 'degraded') {
    reasons.push(scorer.degradedReason ? `scorer degraded: ${scorer.degradedReason.message}` : `model circuit ${scorer.breaker?.state ?? 'open'}`);
  }
  const lastError = String(consumer.lastError?.['message'] ?? '');
  if (consumer.phase === 'crashed' || consumer.phase === 'restarting') reasons.push(`kafka consumer ${consumer.phase}: ${lastError}`);
  else if (consumer.lastCrashAt && (!consumer.lastStableAt || consumer.lastStableAt < consumer.lastCrashAt)) {
    // Rejoined after a crash but no batch has completed since (nor has it idled stably in its
    // group): it may be crashing on the same input.
    reasons.push(`kafka consumer crashed at ${consumer.lastCrashAt} and has not completed a batch since: ${lastError}`);
  } else if (consumer.phase !== 'joined' && !stopping) reasons.push(`kafka consumer ${consumer.phase}`);
  else if (!consumer.inContact && !stopping) reasons.push(`kafka broker has not answered since ${consumer.lastContactAt ?? 'start-up'}`);
  if (producer.connectError && !producer.connected) reasons.push(`kafka producer cannot connect: ${producer.connectError.code}: ${producer.connectError.message}`);
  if (producer.cannotDeliver && !stopping) reasons.push(producer.cannotDeliver);
  const status = fatalError ? 'fatal' : reasons.length > 0 ? 'degraded' : 'ok';
  if (fatalError) reasons.unshift(fatalError.message);
  return {
    status,
    service: identity.service,
    version: identity.version,
    scorer: {
      active: scorer.status === 'ok' ? scorer.primary : scorer.fallback,
      model_loaded: probes.modelLoaded,
      ...(scorer.degradedReason ? { degraded_reason: `${scorer.degradedReason.code}: ${scorer.degradedReason.message}` } : {}),
      ...(scorer.breaker
        ? {
            breaker: {
              state: scorer.breaker.state,
              failures: scorer.breaker.consecutiveFailures,
              ...(scorer.breaker.retryAt ? { retry_at: scorer.breaker.retryAt } : {}),
            },
          }
        : {}),
    },
    kafka: {
      connected: consumer.connected && consumer.inContact,
      consumer: {
        state: consumerHealthState(consumer.phase),
        group_id: identity.groupId,
        topics: identity.topics,
        assignment: consumer.assignment,
        crashes: consumer.crashes,
        restarts: consumer.restarts,
        ...(consumer.lastBatchAt ? { last_batch_at: consumer.lastBatchAt } : {}),
        ...(consumer.lastError ? { last_error: consumer.lastError } : {}),
      },
      producer: { connected: producer.connected },
    },
    processing_mode: identity.processingMode,
    uptime_s: Math.round(probes.uptimeMs / 1000),
    ...(reasons.length > 0 ? { reasons } : {}),
  };
}

/** The consumer's phase as /health names it. */
export function consumerHealthState(phase: ConsumerSnapshot['phase']): ConsumerHealthState {
  switch (phase) {
    case 'joined':
      return 'running';
    case 'rebalancing':
      return 'rebalancing';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'crashed':
    case 'restarting':
    case 'fatal':
      return 'crashed';
    default:
      return 'starting';
  }
}
