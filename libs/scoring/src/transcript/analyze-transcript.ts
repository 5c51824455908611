import { InvalidInputError, ModelError } from '@sentiment/errors';
import type { Score } from '../scorer';
import { assembleAnalysis } from './assemble-analysis';
import { DEFAULT_MAX_CHUNK_INPUT_CHARS, defaultWeight, planTranscript, type TranscriptPlan } from './transcript-plan';
import type { TranscriptAnalysis, TranscriptAnalysisOptions, TranscriptInput } from './transcript-types';
import { YieldBudget } from '../event-loop-turn';

/** One event's outcome in a batch: an event without text must not fail its neighbours. */
export type TranscriptBatchResult =
  | { call_id: string; ok: true; analysis: TranscriptAnalysis }
  | { call_id: string; ok: false; error: InvalidInputError };

/**
 * Analyses every event of a batch with ONE `scorer.score` call over all their chunks, so the
 * scorer can fill its micro-batches. Events without text come back as `ok: false` with
 * InvalidInputError NO_TEXT; a scorer failure rejects the whole batch (the caller decides on
 * fallback or retry). Results are in input order.
 */
export async function analyzeTranscripts(
  inputs: readonly TranscriptInput[],
  options: TranscriptAnalysisOptions,
): Promise<TranscriptBatchResult[]> {
  const planOptions = {
    chunk: options.chunk,
    weight: options.weight ?? defaultWeight,
    maxChunkInputChars: options.maxChunkInputChars ?? DEFAULT_MAX_CHUNK_INPUT_CHARS,
  };
  const budget = new YieldBudget(options.sliceMs);
  const plans: (TranscriptPlan | InvalidInputError)[] = [];
  const texts: string[] = [];
  for (const input of inputs) {
    try {
      const plan = await planTranscript(input, planOptions, budget);
      plans.push(plan);
      for (const text of plan.texts) texts.push(text);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      plans.push(err);
    }
  }

  const scores: readonly Score[] = texts.length === 0 ? [] : await options.scorer.score(texts);
  if (scores.length !== texts.length) {
    throw new ModelError('SCORING_FAILED', `scorer returned ${scores.length} scores for ${texts.length} texts`, {
      retriable: false,
      details: { expected: texts.length, received: scores.length },
    });
  }

  const results: TranscriptBatchResult[] = [];
  let offset = 0;
  for (let i = 0; i < plans.length; i++) {
    await budget.check();
    const plan = plans[i] as TranscriptPlan | InvalidInputError;
    if (plan instanceof InvalidInputError) {
      results.push({ call_id: (inputs[i] as TranscriptInput).call_id, ok: false, error: plan });
      continue;
    }
    const own = scores.slice(offset, offset + plan.texts.length);
    offset += plan.texts.length;
    results.push({ call_id: plan.call_id, ok: true, analysis: await assembleAnalysis(plan, own, options, budget) });
  }
  return results;
}

/** Analyses one event; throws InvalidInputError NO_TEXT when it has no text to score. */
export async function analyzeTranscript(input: TranscriptInput, options: TranscriptAnalysisOptions): Promise<TranscriptAnalysis> {
  const [result] = await analyzeTranscripts([input], options);
  if (result === undefined) throw new RangeError('analyzeTranscripts returned no result');
  if (!result.ok) throw result.error;
  return result.analysis;
}
