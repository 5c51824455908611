export type ConsumerPhase = 'idle' | 'connecting' | 'joining' | 'joined' | 'rebalancing' | 'crashed' | 'restarting' | 'stopping' | 'stopped' | 'fatal';

export interface ConsumerState {
  phase: ConsumerPhase;
  connected: boolean;
  /** The broker answered a request within the contact timeout. */
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
