import type { Score, Scorer } from '../../src/scorer';

const NEGATIVE = new Set(['angry', 'terrible', 'awful', 'hate', 'furious', 'broken', 'worst', 'unacceptable']);
const POSITIVE = new Set(['happy', 'great', 'thanks', 'love', 'wonderful', 'excellent', 'perfect', 'resolved']);

function counts(text: string): { negative: number; positive: number; words: number } {
  let negative = 0;
  let positive = 0;
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  for (const w of words) {
    if (NEGATIVE.has(w)) negative++;
    else if (POSITIVE.has(w)) positive++;
  }
  return { negative, positive, words: words.length };
}

/** Model-style probabilities from keyword counts (neutral has a fixed pseudo-count of 0.5). */
export function keywordModelScore(text: string, model = 'keyword-model'): Score {
  const { negative, positive } = counts(text);
  const total = negative + positive + 0.5;
  const scores = { negative: negative / total, neutral: 0.5 / total, positive: positive / total };
  const label = scores.negative > scores.neutral && scores.negative >= scores.positive ? 'negative' : scores.positive > scores.neutral ? 'positive' : 'neutral';
  const confidence = scores[label];
  return { label, scores, confidence, low_confidence: confidence < 0.6, model };
}

/** VADER-style: proportions of keyword words, compound normalised like VADER's (x / sqrt(x² + 15)). */
export function keywordVaderScore(text: string, model = 'keyword-vader'): Score {
  const { negative, positive, words } = counts(text);
  const n = Math.max(1, words);
  const sum = positive - negative;
  const compound = sum / Math.sqrt(sum * sum + 15);
  const label = compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  return {
    label,
    scores: { negative: negative / n, neutral: (n - negative - positive) / n, positive: positive / n },
    confidence: Math.abs(compound),
    low_confidence: Math.abs(compound) < 0.3,
    compound,
    model,
  };
}

/** Deterministic fake Scorer that records every call; `maxWords` makes over-long texts an error. */
export class KeywordScorer implements Scorer {
  readonly name: string;
  readonly calls: string[][] = [];

  constructor(
    private readonly style: 'model' | 'vader' = 'model',
    private readonly maxWords = Infinity,
  ) {
    this.name = style === 'model' ? 'keyword-model' : 'keyword-vader';
  }

  async score(texts: readonly string[]): Promise<Score[]> {
    this.calls.push([...texts]);
    return texts.map((t) => {
      const words = t.trim().split(/\s+/).length;
      if (words > this.maxWords) throw new Error(`text of ${words} words over the ${this.maxWords}-word limit`);
      return this.style === 'model' ? keywordModelScore(t, this.name) : keywordVaderScore(t, this.name);
    });
  }

  async close(): Promise<void> {}
}

/** Stands in for the RoBERTa tokenizer's chunker: windows of at most `maxWords` words. */
export function wordWindowChunker(maxWords: number): (text: string) => string[] {
  return (text) => {
    const words = text.split(/\s+/).filter((w) => w.length > 0);
    const out: string[] = [];
    for (let i = 0; i < words.length; i += maxWords) out.push(words.slice(i, i + maxWords).join(' '));
    return out;
  };
}

export const wholeText = (text: string): string[] => [text];
