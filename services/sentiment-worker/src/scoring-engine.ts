import { resolve } from 'node:path';
import { describeError } from '@sentiment/errors';
import type { Logger, WorkerMetrics } from '@sentiment/observability';
import {
  analyzeTranscripts,
  createScorer,
  loadRobertaTokenizer,
  wordCount,
  type ChunkText,
  type Scorer,
  type ScoreOptions,
  type ScorerHealth,
  type TranscriptBatchResult,
  type TranscriptInput,
  type WeighText,
} from '@sentiment/scoring';
import type { WorkerEnv } from './config';
import { createVaderScorer, vaderChunk } from './vader-analysis';

/** A text to score on its own, or a whole call (text and/or segments). */
export type AnalysisInput = string | TranscriptInput;

/** Everything the pipeline and the API need to score: the scorer, how to cut long texts, and its health. */
export interface ScoringEngine {
  /**
   * `POST /analyze`'s way in. The Kafka pipeline runs the same `analyzeTranscripts` through
   * `analyzeEvents` (batch/score-inputs.ts), which the batch pool's threads, holding no engine,
   * share. Chunks every input the same way, scores all chunks in one scorer call (so the model fills its micro-batches) and
   * aggregates per input. One outcome per input, in order; an input without text is
   * `ok: false` (NO_TEXT) without failing its neighbours; a scorer failure rejects. A text
   * `inputs[i]` is analysed as the call `{ call_id: String(i), text }`. `options` reach the
   * scorer, e.g. `onSubBatch` to heartbeat the consumer group during a long batch.
   */
  analyze(inputs: readonly AnalysisInput[], options?: ScoreOptions): Promise<TranscriptBatchResult[]>;
  scorer: Scorer;
  chunk: ChunkText;
  weight: WeighText;
  lowConfidenceThreshold: number | undefined;
  /** `roberta-onnx` or `vader`: what serves when nothing fails. */
  activeScorer: string;
  modelLoaded: boolean;
  health(): ScorerHealth;
  close(): Promise<void>;
}


export async function createScoringEngine(env: WorkerEnv, logger: Logger, metrics: WorkerMetrics): Promise<ScoringEngine> {
  const log = logger.child({ component: 'scoring' });
  const createFallback = () => createVaderScorer(env.VADER_LOW_CONFIDENCE_THRESHOLD);
  const modelDir = resolve(env.MODEL_DIR);
  const wantRoberta = env.SCORER !== 'vader';

  const setup = await createScorer({
    createFallback,
    ...(wantRoberta
      ? {
          roberta: {
            modelDir,
            ...(env.MODEL_FILE !== 'auto' ? { modelFile: env.MODEL_FILE } : {}),
            ...(env.MODEL_THREADS > 0 ? { threads: env.MODEL_THREADS } : {}),
            intraOpNumThreads: env.MODEL_INTRA_OP_THREADS,
            interOpNumThreads: env.MODEL_INTER_OP_THREADS,
            maxBatchSize: env.MODEL_MAX_BATCH_SIZE,
            maxBatchTokens: env.MODEL_MAX_BATCH_TOKENS,
            maxBatchWaitMs: env.MODEL_BATCH_WAIT_MS,
            queueScope: env.MODEL_QUEUE,
            queueObserver: {
              depth: (rows) => metrics.inferenceQueueDepth.set(rows),
              batch: (b) => {
                metrics.inferenceQueueWait.observe(b.oldestWaitMs / 1000);
                metrics.inferenceBatchTokens.observe(b.paddedTokens);
                metrics.inferenceBatchTexts.observe(b.rows);
                metrics.inferenceBatchCalls.observe(b.calls);
              },
            },
            lowConfidenceThreshold: env.LOW_CONFIDENCE_THRESHOLD,
            timeoutMs: env.MODEL_TIMEOUT_MS,
          },
        }
      : {}),
    breaker: { failureThreshold: env.BREAKER_FAILURE_THRESHOLD, coolDownMs: env.BREAKER_COOLDOWN_MS },
    onFallback: (reason) => {
      // An open circuit refuses without an error, so it has no code: label it by kind.
      const label = reason.code ?? reason.kind;
      metrics.scorerFallbacks.inc({ reason: label }, reason.texts);
      log.warn('batch scored by the fallback scorer', { reason: label, message: reason.message, texts: reason.texts });
    },
    onStateChange: (state, snapshot) => {
      metrics.breakerState.set(state === 'closed' ? 0 : state === 'half_open' ? 1 : 2);
      log.warn('model circuit breaker changed state', { state, consecutiveFailures: snapshot.consecutiveFailures });
    },
  });

  if (env.SCORER === 'roberta' && setup.degraded) {
    log.error('SCORER=roberta but the model could not be loaded; serving with VADER', { reason: setup.degraded });
  } else if (setup.degraded) {
    log.warn('model not available; serving with VADER (degraded)', { modelDir, reason: setup.degraded });
  }

  const robertaUp = setup.primary !== null;
  let chunk: ChunkText = vaderChunk;
  let weight: WeighText = wordCount;
  if (robertaUp) {
    try {
      // The main thread only cuts windows; token ids are computed again inside the inference workers.
      const tokenizer = await loadRobertaTokenizer(modelDir);
      chunk = (text) => tokenizer.chunk(text);
      weight = (text) => tokenizer.countTokens(text);
    } catch (err) {
      log.warn('tokenizer unavailable in the main thread; chunking by sentences', { error: describeError(err) });
    }
  }
  const activeScorer = robertaUp ? 'roberta-onnx' : 'vader';
  metrics.scorerActive.set({ scorer: 'roberta-onnx' }, robertaUp ? 1 : 0);
  metrics.scorerActive.set({ scorer: 'vader' }, robertaUp ? 0 : 1);
  metrics.breakerState.set(0);
  log.info('scorer ready', { active: activeScorer, modelDir: wantRoberta ? modelDir : undefined });

  // Aggregates are flagged when most of their weight was flagged by the scorer that produced it,
  // so VADER and model thresholds never mix after a fallback.
  const lowConfidenceThreshold = undefined;
  const scorer = setup.scorer;
  return {
    analyze: (inputs, options) =>
      analyzeTranscripts(
        inputs.map((input, i) => (typeof input === 'string' ? { call_id: String(i), text: input } : input)),
        { scorer: options ? { score: (texts) => scorer.score(texts, options) } : scorer, chunk, weight, lowConfidenceThreshold },
      ),
    scorer,
    chunk,
    weight,
    lowConfidenceThreshold,
    activeScorer,
    modelLoaded: robertaUp,
    health: () => setup.health(),
    close: async () => {
      await setup.scorer.close();
      if (setup.primary && setup.primary !== setup.scorer) await setup.primary.close();
    },
  };
}
