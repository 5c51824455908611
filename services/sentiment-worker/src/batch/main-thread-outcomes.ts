import type { DecodeLimits } from '@sentiment/events';
import type { ConsumedBatch } from '@sentiment/kafka';
import type { Logger } from '@sentiment/observability';
import type { ScoringEngine } from '../scoring-engine';
import type { PreparedOutcomes } from './batch-types';
import { buildOutcomes, type OutcomeOptions } from './build-outcomes';
import { inChild } from './child-span';
import { decodeInputs, type PreDecoder } from './decode-inputs';
import { scoreInputs } from './score-inputs';

/**
 * Steps 1-3 on the main thread (decode, score with the engine, build), in turns bounded by the
 * shared turn clock; scoring in a `score` child of the batch span when tracing is on.
 */
export async function outcomesOnMainThread(
  batch: ConsumedBatch,
  engine: ScoringEngine,
  options: OutcomeOptions & { decodeLimits: DecodeLimits; preDecode?: PreDecoder | undefined },
  heartbeat: () => Promise<void>,
  log: Logger,
): Promise<PreparedOutcomes> {
  const { valid, rejected } = await decodeInputs(batch.messages, options.decodeLimits, options.preDecode);
  const scored = await inChild(options.span, 'score', { 'sentiment.scorer': engine.scorer.name, 'sentiment.calls': valid.length }, () => scoreInputs(valid, engine, heartbeat, log));
  const outcomes = await buildOutcomes(batch, valid, scored.analyses, [...rejected, ...scored.rejected], scored.scoringMs, options);
  return { outcomes, scored: valid.length, scoringMs: scored.scoringMs, scorer: engine.scorer.name };
}
