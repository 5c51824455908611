import type { CallSegment } from '@sentiment/events';
import type { Score, Scorer } from '../scorer';

/** The part of a `calls.transcribed` event the analysis reads (validated upstream). */
export interface TranscriptInput {
  call_id: string;
  text?: string | null;
  segments?: readonly CallSegment[] | null;
  language?: string;
  timestamp?: string | number;
  metadata?: unknown;
}

/**
 * One window produced by a chunk function: its text, optionally with its weight when
 * the chunker already knows it (a tokenizer knows each window's token count), which
 * saves weighing the text a second time.
 */
export type ChunkPiece = string | { readonly text: string; readonly weight?: number };

/** Splits a text into windows the scorer accepts (e.g. under RoBERTa's 512-token limit). */
export type ChunkText = (text: string) => readonly ChunkPiece[] | Promise<readonly ChunkPiece[]>;

/** How much a chunk counts in an average: tokens for RoBERTa, characters or words for VADER. */
export type WeighText = (text: string) => number;

export interface TranscriptAnalysisOptions {
  scorer: Pick<Scorer, 'score'>;
  chunk: ChunkText;
  /** Default: number of whitespace-separated words. Used when a chunk piece has no weight. */
  weight?: WeighText;
  /**
   * Aggregates with `confidence` under this are flagged `low_confidence`. Without it an
   * aggregate is flagged when at least half of its weight comes from chunks the scorer flagged.
   * A single-chunk aggregate always keeps the scorer's own flag.
   */
  lowConfidenceThreshold?: number;
  /** Include per-segment results (default true); speakers are computed either way. */
  includeSegments?: boolean;
  /** |delta| of polarity under which the trajectory is `stable` (default 0.1). */
  trendThreshold?: number;
  /**
   * Texts longer than this are cut at whitespace into pieces of at most this many characters
   * before `chunk` sees them, so one synchronous chunk call never runs over a 10 MB string
   * (default 65,536).
   */
  maxChunkInputChars?: number;
  /** Longest run of synchronous work before yielding to the event loop, in ms (default TURN_SLICE_MS, 5). */
  sliceMs?: number;
}

/** A weighted aggregate has the shape of a single Score (`model` joins several names with `+`). */
export type AggregateScore = Score;

export interface OverallScore extends AggregateScore {
  /** Every scorer that contributed, most weight first (more than one after a fallback). */
  models: string[];
}

export interface SegmentAnalysis extends AggregateScore {
  /** Position in the event's `segments` array (blank segments are skipped, not renumbered). */
  index: number;
  speaker: string;
  start_ms?: number;
  end_ms?: number;
  chunks: number;
  weight: number;
}

export interface SpeakerAnalysis extends AggregateScore {
  segments: number;
  chunks: number;
  weight: number;
}

export interface TrajectoryWindow extends AggregateScore {
  /** compound when both windows have one (VADER), else positive − negative; in [-1, 1]. */
  polarity: number;
  /** Chunks that overlap the window, even partly. */
  chunks: number;
  /** Weight inside the window (partly covered chunks count pro rata). */
  weight: number;
}

export type Trend = 'improving' | 'worsening' | 'stable';

export interface Trajectory {
  /** `time` when every scored segment has start_ms < end_ms, else `weight` (cumulative weight). */
  basis: 'time' | 'weight';
  /** True when the call is one chunk: both windows are that chunk, delta 0, trend stable. */
  single_chunk: boolean;
  first_third: TrajectoryWindow;
  last_third: TrajectoryWindow;
  /** last_third.polarity − first_third.polarity */
  delta: number;
  trend: Trend;
}

export interface TranscriptAnalysis {
  call_id: string;
  /** Which field of the event was analysed: segments win when any of them has text. */
  source: 'segments' | 'text';
  overall: OverallScore;
  /** Present when source is `segments` and includeSegments is not false. */
  segments?: SegmentAnalysis[];
  /** Present when source is `segments`; keyed by speaker, in order of first appearance. */
  speakers?: Record<string, SpeakerAnalysis>;
  trajectory: Trajectory;
  /** Number of chunks scored. */
  chunks: number;
  /** Total weight of those chunks (tokens, words or characters, as `weight` counts). */
  units: number;
  /** Segments left out because their text was empty or whitespace. */
  skipped_segments: number;
}
