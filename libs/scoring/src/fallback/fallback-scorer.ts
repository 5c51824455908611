/**
 * Scores with a primary scorer (RoBERTa) and, whenever it fails or times out for a batch, scores
 * that batch with a fallback (VADER) instead. A circuit breaker stops calling a primary that keeps
 * failing, so each batch does not first pay for a doomed attempt.
 * Every Score's `model` names the scorer that actually produced it.
 */
import { describeError, type ErrorCode } from '@sentiment/errors';
import type { Score, Scorer, ScoreOptions } from '../scorer';
import { CircuitBreaker, type BreakerSnapshot, type BreakerState, type CircuitBreakerOptions } from './circuit-breaker';

/** Why a batch went to the fallback scorer. */
export interface FallbackReason {
  /** `timeout`: MODEL_TIMEOUT; `error`: any other failure; `circuit_open`: the primary was not tried. */
  kind: 'error' | 'timeout' | 'circuit_open';
  /** The primary's error code, when it threw an AppError. */
  code?: ErrorCode;
  message: string;
  /** Texts in the batch. */
  texts: number;
}

export interface FallbackScorerOptions {
  primary: Scorer;
  fallback: Scorer;
  breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  /** Called once per batch handed to the fallback (for a metric and a log line). */
  onFallback?: (reason: FallbackReason) => void;
  /** Called on every breaker transition (for a gauge, a log line and /health). */
  onStateChange?: (state: BreakerState, snapshot: BreakerSnapshot) => void;
}

export class FallbackScorer implements Scorer {
  /** The primary's name: what this scorer is meant to be; results say who really scored them. */
  readonly name: string;
  readonly primary: Scorer;
  readonly fallback: Scorer;
  private readonly breaker: CircuitBreaker;
  private readonly onFallback: ((reason: FallbackReason) => void) | undefined;

  constructor(options: FallbackScorerOptions) {
    this.primary = options.primary;
    this.fallback = options.fallback;
    this.name = options.primary.name;
    this.onFallback = options.onFallback;
    this.breaker = new CircuitBreaker({
      ...options.breaker,
      ...(options.onStateChange && { onStateChange: options.onStateChange }),
    });
  }

  get state(): BreakerState {
    return this.breaker.state;
  }

  breakerSnapshot(): BreakerSnapshot {
    return this.breaker.snapshot();
  }

  async score(texts: readonly string[], options: ScoreOptions = {}): Promise<Score[]> {
    if (texts.length === 0) return [];
    if (!this.breaker.tryAcquire()) {
      this.notify({ kind: 'circuit_open', message: 'primary scorer bypassed: circuit open', texts: texts.length });
      return this.fallback.score(texts, options);
    }
    // A failing heartbeat (e.g. the consumer lost its partitions) is not the model's fault:
    // it must neither trip the breaker nor be papered over by the fallback.
    let hookError: { error: unknown } | undefined;
    const hook = options.onSubBatch;
    const primaryOptions: ScoreOptions = hook
      ? {
          ...options,
          onSubBatch: async (progress) => {
            try {
              await hook(progress);
            } catch (error) {
              hookError = { error };
              throw error;
            }
          },
        }
      : options;
    let scores: Score[];
    try {
      scores = await this.primary.score(texts, primaryOptions);
    } catch (err) {
      if (hookError) {
        this.breaker.recordSuccess();
        throw hookError.error;
      }
      this.breaker.recordFailure(err);
      const described = describeError(err);
      const code = typeof described['code'] === 'string' ? (described['code'] as ErrorCode) : undefined;
      this.notify({
        kind: code === 'MODEL_TIMEOUT' ? 'timeout' : 'error',
        ...(code !== undefined && { code }),
        message: typeof described['message'] === 'string' ? described['message'] : String(err),
        texts: texts.length,
      });
      return this.fallback.score(texts, options);
    }
    this.breaker.recordSuccess();
    return scores;
  }

  /** Closes both scorers; idempotent as long as theirs are. */
  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.fallback.close()]);
  }

  private notify(reason: FallbackReason): void {
    try {
      this.onFallback?.(reason);
    } catch {
      /* a broken metrics hook must not fail scoring */
    }
  }
}
