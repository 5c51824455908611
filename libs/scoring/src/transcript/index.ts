export { analyzeTranscript, analyzeTranscripts, type TranscriptBatchResult } from './analyze-transcript';
export { assembleAnalysis, type AssembleOptions } from './assemble-analysis';
export { ScoreAccumulator, labelFromCompound, labelFromScores, COMPOUND_POSITIVE_THRESHOLD, COMPOUND_NEGATIVE_THRESHOLD } from './score-accumulator';
export { sentenceChunker, sentenceEnds, DEFAULT_SENTENCE_CHUNK_CHARS } from './sentence-chunker';
export { splitLongText } from './split-long-text';
export { computeTrajectory, DEFAULT_TREND_THRESHOLD } from './trajectory';
export { DEFAULT_MAX_CHUNK_INPUT_CHARS } from './transcript-plan';
export { wordCount } from './word-count';
export type {
  AggregateScore,
  ChunkPiece,
  ChunkText,
  OverallScore,
  SegmentAnalysis,
  SpeakerAnalysis,
  Trajectory,
  TrajectoryWindow,
  TranscriptAnalysis,
  TranscriptAnalysisOptions,
  TranscriptInput,
  Trend,
  WeighText,
} from './transcript-types';
