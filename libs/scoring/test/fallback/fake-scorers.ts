import { ModelError } from '@sentiment/errors';
import type { Score, Scorer, ScoreOptions } from '../../src/scorer';

/** A scorer that answers `neutral` for every text, stamped with its own name. */
export class ConstantScorer implements Scorer {
  calls = 0;
  closed = false;
  constructor(readonly name: string) {}
  async score(texts: readonly string[]): Promise<Score[]> {
    this.calls++;
    return texts.map(() => ({
      label: 'neutral',
      scores: { negative: 0, neutral: 1, positive: 0 },
      confidence: 1,
      low_confidence: false,
      model: this.name,
    }));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A scorer whose behaviour each test scripts: `failWith` set -> every call rejects with it. */
export class ScriptedScorer extends ConstantScorer {
  failWith: unknown = undefined;
  subBatches = 0;
  override async score(texts: readonly string[], options: ScoreOptions = {}): Promise<Score[]> {
    if (this.failWith !== undefined) {
      this.calls++;
      throw this.failWith;
    }
    for (let i = 1; i < this.subBatches + 1; i++) await options.onSubBatch?.({ done: i, total: this.subBatches + 1 });
    return super.score(texts);
  }
}

export const inferenceFailure = (): ModelError => new ModelError('MODEL_INFERENCE_FAILED', 'boom');
export const timeoutFailure = (): ModelError => new ModelError('MODEL_TIMEOUT', 'too slow');
