/**
 * Start-up wiring: try to bring RoBERTa up; if its files are missing or unloadable, serve with
 * the fallback alone and say so (`degraded`), rather than refusing to start. /health reads
 * `health()` from the result.
 */
import { describeError, type ErrorCode } from '@sentiment/errors';
import type { Scorer } from '../scorer';
import { createRobertaScorer, type RobertaScorerOptions } from '../roberta/roberta-scorer';
import type { BreakerSnapshot, BreakerState, CircuitBreakerOptions } from './circuit-breaker';
import { FallbackScorer, type FallbackReason } from './fallback-scorer';

export interface CreateScorerOptions {
  /** RoBERTa settings; omit to run on the fallback alone by choice (reported as not degraded). */
  roberta?: RobertaScorerOptions;
  /** Builds the fallback scorer (VADER); called once. */
  createFallback: () => Scorer | Promise<Scorer>;
  breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  onFallback?: (reason: FallbackReason) => void;
  onStateChange?: (state: BreakerState, snapshot: BreakerSnapshot) => void;
  /** Builds the primary; defaults to createRobertaScorer (tests inject other primaries). */
  createPrimary?: (options: RobertaScorerOptions) => Promise<Scorer>;
}

export interface DegradedReason {
  code: ErrorCode | 'UNKNOWN';
  message: string;
}

/** What /health shows about scoring. */
export interface ScorerHealth {
  /** `ok`: the primary serves; `degraded`: the fallback serves some or all batches. */
  status: 'ok' | 'degraded';
  /** The scorer meant to serve (`roberta-onnx`, or the fallback's name when RoBERTa is off). */
  primary: string;
  fallback: string;
  /** Set when the primary could not be started at all. */
  degradedReason: DegradedReason | null;
  /** The breaker, when there is a primary to protect. */
  breaker: BreakerSnapshot | null;
}

export interface ScorerSetup {
  scorer: Scorer;
  /** The RoBERTa scorer when it loaded, else null (e.g. to read its settings). */
  primary: Scorer | null;
  degraded: DegradedReason | null;
  health(): ScorerHealth;
}

export async function createScorer(options: CreateScorerOptions): Promise<ScorerSetup> {
  const fallback = await options.createFallback();
  if (options.roberta === undefined) {
    return {
      scorer: fallback,
      primary: null,
      degraded: null,
      health: () => ({ status: 'ok', primary: fallback.name, fallback: fallback.name, degradedReason: null, breaker: null }),
    };
  }

  let primary: Scorer;
  try {
    primary = await (options.createPrimary ?? createRobertaScorer)(options.roberta);
  } catch (err) {
    const described = describeError(err);
    const degraded: DegradedReason = {
      code: typeof described['code'] === 'string' ? (described['code'] as ErrorCode) : 'UNKNOWN',
      message: typeof described['message'] === 'string' ? described['message'] : String(err),
    };
    return {
      scorer: fallback,
      primary: null,
      degraded,
      health: () => ({ status: 'degraded', primary: 'roberta-onnx', fallback: fallback.name, degradedReason: degraded, breaker: null }),
    };
  }

  const scorer = new FallbackScorer({
    primary,
    fallback,
    ...(options.breaker && { breaker: options.breaker }),
    ...(options.onFallback && { onFallback: options.onFallback }),
    ...(options.onStateChange && { onStateChange: options.onStateChange }),
  });
  return {
    scorer,
    primary,
    degraded: null,
    health: () => {
      const breaker = scorer.breakerSnapshot();
      return {
        status: breaker.state === 'closed' ? 'ok' : 'degraded',
        primary: primary.name,
        fallback: fallback.name,
        degradedReason: null,
        breaker,
      };
    },
  };
}
