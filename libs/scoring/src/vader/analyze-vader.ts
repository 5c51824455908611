import { VaderAnalyzer, type VaderPolarity } from './vader-analyzer';
import { loadVaderLexicons } from './vader-lexicons';

let shared: VaderAnalyzer | undefined;

/** The process-wide analyzer over the packaged lexicons, loaded on first use (~30 ms, once). */
export function defaultVaderAnalyzer(): VaderAnalyzer {
  shared ??= new VaderAnalyzer(loadVaderLexicons());
  return shared;
}

/**
 * Scores one text exactly like the reference VADER (vaderSentiment 44fc044). Synchronous
 * and pure in effect; the first call reads the lexicons (throws ConfigError if they are
 * missing), later calls never throw.
 */
export function analyzeVader(text: string): VaderPolarity {
  return defaultVaderAnalyzer().polarityScores(text);
}
