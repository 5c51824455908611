/**
 * A consecutive-failure circuit breaker. `closed`: calls go through. After `failureThreshold`
 * failures in a row it turns `open`: calls are refused for `coolDownMs`. Then one trial call is
 * let through (`half_open`): success closes it, failure opens it again for another cool-down.
 */
import { describeError } from '@sentiment/errors';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before a trial. Default 30000 ms. */
  coolDownMs?: number;
  /** Called on every transition, after the state changed. */
  onStateChange?: (state: BreakerState, snapshot: BreakerSnapshot) => void;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  failureThreshold: number;
  coolDownMs: number;
  /** The latest failure, as describeError() shapes it, with its time (ISO 8601). */
  lastError: { at: string; error: Record<string, unknown> } | null;
  /** When an open breaker lets its next trial through (ISO 8601), else null. */
  retryAt: string | null;
  totals: { successes: number; failures: number; refused: number; opened: number };
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private lastError: BreakerSnapshot['lastError'] = null;
  private readonly totals = { successes: 0, failures: 0, refused: 0, opened: 0 };
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, Math.floor(options.failureThreshold ?? 5));
    this.coolDownMs = Math.max(0, options.coolDownMs ?? 30_000);
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /**
   * Asks to make one call. True: make it, then report `recordSuccess`/`recordFailure`.
   * False: the breaker is open (or its single half-open trial is already running).
   */
  tryAcquire(): boolean {
    if (this.current === 'open' && this.now() - this.openedAt >= this.coolDownMs) {
      this.transition('half_open');
    }
    if (this.current === 'closed') return true;
    if (this.current === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    this.totals.refused++;
    return false;
  }

  recordSuccess(): void {
    this.totals.successes++;
    this.consecutiveFailures = 0;
    if (this.current === 'half_open') {
      this.trialInFlight = false;
      this.transition('closed');
    }
  }

  recordFailure(err: unknown): void {
    this.totals.failures++;
    this.consecutiveFailures++;
    this.lastError = { at: new Date(this.now()).toISOString(), error: describeError(err) };
    if (this.current === 'half_open') {
      this.trialInFlight = false;
      this.open();
    } else if (this.current === 'closed' && this.consecutiveFailures >= this.failureThreshold) {
      this.open();
    }
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.current,
      consecutiveFailures: this.consecutiveFailures,
      failureThreshold: this.failureThreshold,
      coolDownMs: this.coolDownMs,
      lastError: this.lastError,
      retryAt: this.current === 'open' ? new Date(this.openedAt + this.coolDownMs).toISOString() : null,
      totals: { ...this.totals },
    };
  }

  private open(): void {
    this.openedAt = this.now();
    this.totals.opened++;
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    // A throwing listener must not wedge the breaker in a half-made transition.
    try {
      this.options.onStateChange?.(state, this.snapshot());
    } catch {
      /* listener errors are the listener's problem */
    }
  }
}
