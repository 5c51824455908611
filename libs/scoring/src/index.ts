export { type Scorer } from './scorer';
export {
  analyzeTranscript,
  analyzeTranscripts,
  sentenceChunker,
  wordCount,
  DEFAULT_SENTENCE_CHUNK_CHARS,
  type TranscriptBatchResult,
  type TranscriptInput,
  type TranscriptAnalysis,
  type TranscriptAnalysisOptions,
  type ChunkPiece,
  type ChunkText,
  type WeighText,
  type AggregateScore,
  type OverallScore,
  type SegmentAnalysis,
  type SpeakerAnalysis,
  type Trajectory,
  type TrajectoryWindow,
  type Trend,
} from './transcript';
export { VaderAnalyzer, type VaderPolarity } from './vader/vader-analyzer';
export { analyzeVader, defaultVaderAnalyzer } from './vader/analyze-vader';
export { loadVaderLexicons, parseVaderLexicon, parseEmojiLexicon, type VaderLexicons } from './vader/vader-lexicons';
export { resolveVaderDataDir } from './vader/vader-data-dir';
export { vaderLabel } from './vader/vader-label';
export { VaderScorer, type VaderScorerOptions, VADER_SCORER_NAME, DEFAULT_VADER_LOW_CONFIDENCE } from './vader/vader-scorer';
// RoBERTa tokenizer and model directory helpers
export { preprocessTweetText } from './roberta/tokenizer/tweet-preprocessing';
export { RobertaTokenizer, type TokenizerDefinition } from './roberta/tokenizer/roberta-tokenizer';
export { loadRobertaTokenizer, readTokenizerDefinition, type LoadRobertaTokenizerOptions } from './roberta/tokenizer/load-roberta-tokenizer';
export { chunkText, type TokenCounter } from './roberta/tokenizer/text-chunker';
export { buildRobertaTokenizerJson, parseMergesTxt, type RobertaTokenizerJson } from './roberta/tokenizer/roberta-tokenizer-json';
export { RobertaSpecialTokens, DEFAULT_ROBERTA_MAX_TOKENS } from './roberta/tokenizer/roberta-special-tokens';
export { robertaTokenizerAssetsDir } from './roberta/tokenizer/tokenizer-assets';
export {
  ModelDirFiles,
  DEFAULT_ONNX_CANDIDATES,
  preparedModelFile,
  preparedRecordFile,
  plainModelFileOf,
  isPreparedModelFile,
} from './roberta/model-files/model-dir-layout';
export { selectModelFile, type ModelFileChoice } from './roberta/model-files/model-file-selection';
export { readPreparedModelRecord, PreparedModelRecordSchema, type PreparedModelRecord, type ParityFigures } from './roberta/model-files/prepared-model-record';
export {
  prepareOptimizedModel,
  DEFAULT_PARITY_TOLERANCE,
  PREPARE_OPTIMIZATION_LEVEL,
  type PrepareModelOptions,
  type PrepareModelResult,
  type PrepareStatus,
} from './roberta/model-files/prepare-optimized-model';
export {
  readParitySet,
  syntheticParitySet,
  logitsOf,
  compareLogits,
  openSession,
  type ParitySet,
  type LogitsComparison,
  type GraphOptimizationLevel,
} from './roberta/model-files/logits-parity';
export { resolveOnnxModelPath, readModelJson, modelFileExists } from './roberta/model-files/model-dir-files';
export { readRobertaModelConfig, readMaxTokens, type RobertaModelConfig } from './roberta/model-files/roberta-model-config';
// RoBERTa inference (worker pool) and the fallback scorer
export { type ScoreOptions } from './scorer';
export { createRobertaScorer, RobertaScorer, RobertaScorerName, DEFAULT_MAX_BATCH_WAIT_MS, type RobertaScorerOptions } from './roberta/roberta-scorer';
export { InferencePool, type InferencePoolOptions } from './roberta/inference-pool';
export { inspectModelDir, type ModelDirInfo } from './roberta/model-dir';
export { planMicroBatches, type MicroBatchLimits } from './roberta/micro-batches';
export { InferenceQueue, type InferenceQueueObserver, type InferenceQueueOptions, type QueueBatchStats } from './roberta/inference-queue';
export { nextMicroBatch, type NextMicroBatch } from './roberta/next-micro-batch';
export { softmax, logitsToScore } from './roberta/logits-to-score';
export { CircuitBreaker, type BreakerState, type BreakerSnapshot, type CircuitBreakerOptions } from './fallback/circuit-breaker';
export { FallbackScorer, type FallbackReason, type FallbackScorerOptions } from './fallback/fallback-scorer';
export { createScorer, type CreateScorerOptions, type ScorerSetup, type ScorerHealth, type DegradedReason } from './fallback/create-scorer';
export {
  readModelManifest,
  selectManifestFiles,
  defaultModelManifestPath,
  type ModelManifest,
  type ModelManifestFile,
} from './roberta/model-files/model-manifest';
export {
  downloadModelFiles,
  verifyModelFiles,
  resolveFileUrl,
  sha256File,
  CHECKSUMS_FILE,
  type ModelDownloadOptions,
  type DownloadedFile,
  type VerifiedFile,
} from './roberta/model-files/model-download';
export { yieldIfTurnOver, TURN_SLICE_MS } from './event-loop-turn';
