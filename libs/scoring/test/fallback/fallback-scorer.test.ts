import { describe, expect, it } from '@jest/globals';
import type { BreakerState } from '../../src/fallback/circuit-breaker';
import { FallbackScorer, type FallbackReason } from '../../src/fallback/fallback-scorer';
import { ConstantScorer, inferenceFailure, ScriptedScorer, timeoutFailure } from './fake-scorers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(failureThreshold = 2, coolDownMs = 50) {
  const primary = new ScriptedScorer('primary');
  const fallback = new ConstantScorer('fallback');
  const reasons: FallbackReason[] = [];
  const states: BreakerState[] = [];
  const scorer = new FallbackScorer({
    primary,
    fallback,
    breaker: { failureThreshold, coolDownMs },
    onFallback: (r) => reasons.push(r),
    onStateChange: (s) => states.push(s),
  });
  return { primary, fallback, scorer, reasons, states };
}

describe('FallbackScorer', () => {
  it('when the primary succeeds, then its scores are returned and the fallback is not called', async () => {
    const { scorer, fallback } = setup();
    const scores = await scorer.score(['a', 'b']);
    expect(scores.map((s) => s.model)).toEqual(['primary', 'primary']);
    expect(fallback.calls).toBe(0);
  });

  it('when the primary throws, then the batch is scored by the fallback and the reason is reported', async () => {
    const { scorer, primary, reasons } = setup();
    primary.failWith = inferenceFailure();
    const scores = await scorer.score(['a', 'b', 'c']);
    expect(scores.map((s) => s.model)).toEqual(['fallback', 'fallback', 'fallback']);
    expect(reasons).toEqual([{ kind: 'error', code: 'MODEL_INFERENCE_FAILED', message: 'boom', texts: 3 }]);
  });

  it('when the primary times out, then the reason says timeout', async () => {
    const { scorer, primary, reasons } = setup();
    primary.failWith = timeoutFailure();
    await scorer.score(['a']);
    expect(reasons[0]?.kind).toBe('timeout');
  });

  it('when N calls fail in a row, then the breaker opens and the primary is no longer called', async () => {
    const { scorer, primary, reasons, states } = setup(2, 60_000);
    primary.failWith = inferenceFailure();
    await scorer.score(['a']);
    await scorer.score(['a']);
    expect(scorer.state).toBe('open');
    const callsWhenOpened = primary.calls;
    const scores = await scorer.score(['a']);
    expect(scores[0]?.model).toBe('fallback');
    expect(primary.calls).toBe(callsWhenOpened);
    expect(reasons.map((r) => r.kind)).toEqual(['error', 'error', 'circuit_open']);
    expect(states).toEqual(['open']);
    expect(scorer.breakerSnapshot().lastError?.error['code']).toBe('MODEL_INFERENCE_FAILED');
  });

  it('when the cool-down passes and the primary has recovered, then the trial closes the breaker', async () => {
    const { scorer, primary, states } = setup(1, 30);
    primary.failWith = inferenceFailure();
    await scorer.score(['a']);
    expect(scorer.state).toBe('open');
    primary.failWith = undefined;
    await sleep(40);
    const scores = await scorer.score(['a']);
    expect(scores[0]?.model).toBe('primary');
    expect(scorer.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('when the sub-batch hook fails, then the error propagates and neither the fallback nor the breaker react', async () => {
    const { scorer, primary, fallback, reasons } = setup(1);
    primary.subBatches = 2;
    const hookError = new Error('heartbeat failed: rebalancing');
    await expect(
      scorer.score(['a'], {
        onSubBatch: () => {
          throw hookError;
        },
      }),
    ).rejects.toBe(hookError);
    expect(fallback.calls).toBe(0);
    expect(reasons).toEqual([]);
    expect(scorer.state).toBe('closed');
  });

  it('when the scorer is closed, then both scorers are closed', async () => {
    const { scorer, primary, fallback } = setup();
    await scorer.close();
    expect(primary.closed && fallback.closed).toBe(true);
  });
});
