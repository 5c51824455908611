/**
 * Shapes `GET /health` and `GET /ready` serve. The worker fills them in; the HTTP layer only
 * picks the status code: `fatal` is the one liveness state that answers 503.
 */

/**
 * - `ok`: everything works.
 * - `degraded`: the process is alive and serving, but e.g. the scorer fell back to VADER or
 *   Kafka is reconnecting. Still 200: restarting would not help.
 * - `fatal`: the process cannot recover on its own (e.g. the consumer crashed and will not
 *   restart). 503, so an orchestrator's liveness probe restarts it.
 */
export type HealthStatus = 'ok' | 'degraded' | 'fatal';

export type CircuitBreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerHealth {
  state: CircuitBreakerState;
  /** Consecutive failures counted by the breaker. */
  failures?: number;
  /** ISO 8601 time the breaker last opened. */
  opened_at?: string;
}

export interface ScorerHealth {
  /** Name of the scorer currently answering, e.g. `roberta-onnx` or `vader`. */
  active: string;
  model_loaded: boolean;
  /** Why the preferred scorer is not the active one. */
  degraded_reason?: string;
  breaker?: BreakerHealth;
}

export type ConsumerState = 'starting' | 'running' | 'rebalancing' | 'stopping' | 'stopped' | 'crashed';

export interface ConsumerHealth {
  state: ConsumerState;
  group_id?: string;
  topics?: string[];
  /** ISO 8601 time of the last batch the consumer handled. */
  last_batch_at?: string;
  restarts?: number;
  [extra: string]: unknown;
}

export interface KafkaHealth {
  connected: boolean;
  consumer: ConsumerHealth;
  producer?: { connected: boolean };
}

export interface HealthReport {
  status: HealthStatus;
  scorer: ScorerHealth;
  kafka: KafkaHealth;
  uptime_s: number;
  /** Why the status is `degraded` or `fatal`. */
  reasons?: string[];
  [extra: string]: unknown;
}

export interface ReadinessReport {
  ready: boolean;
  /** Why not ready (empty when ready): e.g. `kafka consumer not joined`, `shutting down`. */
  reasons: string[];
}
