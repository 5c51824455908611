import { TURN_SLICE_MS, turnElapsedMs, yieldToEventLoop } from '../event-loop-turn';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '@sentiment/errors';
import type { Score, Scorer } from '../scorer';
import { defaultVaderAnalyzer } from './analyze-vader';
import type { VaderAnalyzer } from './vader-analyzer';
import { vaderLabel } from './vader-label';

export interface VaderScorerOptions {
  /** Analyzer to use; default: the shared one over the packaged lexicons. */
  analyzer?: VaderAnalyzer;
  /**
   * `confidence` (= |compound|) under which a score is flagged `low_confidence`.
   * Default 0.05, VADER's own neutral band: a flagged text is one where VADER found no
   * clear polarity, which is also where a model fallback is least informative.
   */
  lowConfidenceThreshold?: number;
  /** Longest the scorer works before yielding to the event loop, in ms. Default TURN_SLICE_MS (5). */
  sliceBudgetMs?: number;
}

export const VADER_SCORER_NAME = 'vader';
export const DEFAULT_VADER_LOW_CONFIDENCE = 0.05;

/**
 * The VADER fallback scorer. Scoring is synchronous CPU work (~5-20 µs a tweet), so a
 * batch is scored in slices of at most `sliceBudgetMs` with a `setImmediate` between
 * them: Kafka heartbeats, HTTP requests and timers run between slices however large the
 * batch. (One text is never split, so a single huge text is bounded only by the input
 * size limit upstream.)
 *
 * `confidence` is |compound|: VADER has no probabilities, and its per-label values are
 * proportions of words (one positive word among twenty neutral ones gives pos 0.1 to a
 * clearly positive text), whereas |compound| grows with the amount and intensity of the
 * evidence for the chosen polarity and lies in [0, 1]. It is a strength, not a
 * calibrated probability: compare it with a model's confidence only through thresholds.
 */
export class VaderScorer implements Scorer {
  readonly name = VADER_SCORER_NAME;
  private readonly analyzer: VaderAnalyzer;
  private readonly lowConfidenceThreshold: number;
  private readonly sliceBudgetMs: number;

  constructor(options: VaderScorerOptions = {}) {
    const threshold = options.lowConfidenceThreshold ?? DEFAULT_VADER_LOW_CONFIDENCE;
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
      throw new ConfigError(`VADER low-confidence threshold must be in [0, 1], got ${threshold}`);
    }
    const budget = options.sliceBudgetMs ?? TURN_SLICE_MS;
    if (!Number.isFinite(budget) || budget <= 0) {
      throw new ConfigError(`VADER slice budget must be a positive number of ms, got ${budget}`);
    }
    this.lowConfidenceThreshold = threshold;
    this.sliceBudgetMs = budget;
    this.analyzer = options.analyzer ?? defaultVaderAnalyzer();
  }

  async score(texts: readonly string[]): Promise<Score[]> {
    const n = texts.length;
    const out = new Array<Score>(n);
    let i = 0;
    while (i < n) {
      // Reading the clock costs ~50 ns against microseconds a text: check after every text.
      // The deadline counts what other flows already ran in this turn (see event-loop-turn).
      const deadline = performance.now() + Math.max(0, this.sliceBudgetMs - turnElapsedMs());
      do {
        out[i] = this.scoreOne(texts[i]);
        i++;
      } while (i < n && performance.now() < deadline);
      if (i < n) await yieldToEventLoop();
    }
    return out;
  }

  /** Scores one text synchronously; non-strings and empty texts score neutral with zeros. */
  scoreOne(text: unknown): Score {
    const p = this.analyzer.polarityScores(text);
    const confidence = Math.abs(p.compound);
    return {
      label: vaderLabel(p.compound),
      scores: { negative: p.neg, neutral: p.neu, positive: p.pos },
      confidence,
      low_confidence: confidence < this.lowConfidenceThreshold,
      compound: p.compound,
      model: VADER_SCORER_NAME,
    };
  }

  async close(): Promise<void> {
    // Nothing to release: the lexicons are plain maps shared by the process.
  }
}
