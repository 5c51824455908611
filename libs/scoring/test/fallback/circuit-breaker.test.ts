import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker, type BreakerState } from '../../src/fallback/circuit-breaker';

function clockedBreaker(failureThreshold: number, coolDownMs: number) {
  let now = 1_000_000;
  const transitions: BreakerState[] = [];
  const breaker = new CircuitBreaker({ failureThreshold, coolDownMs, now: () => now, onStateChange: (s) => transitions.push(s) });
  return { breaker, transitions, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('when failures in a row reach the threshold, then it opens and refuses calls', () => {
    const { breaker, transitions } = clockedBreaker(3, 1000);
    for (let i = 0; i < 2; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure(new Error('x'));
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(new Error('third'));
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(transitions).toEqual(['open']);
    const snap = breaker.snapshot();
    expect(snap.consecutiveFailures).toBe(3);
    expect(snap.lastError?.error['message']).toBe('third');
    expect(snap.totals).toEqual({ successes: 0, failures: 3, refused: 1, opened: 1 });
    expect(snap.retryAt).not.toBeNull();
  });

  it('when a success comes between failures, then the count starts again', () => {
    const { breaker } = clockedBreaker(2, 1000);
    breaker.recordFailure(new Error('a'));
    breaker.recordSuccess();
    breaker.recordFailure(new Error('b'));
    expect(breaker.state).toBe('closed');
  });

  it('when the cool-down has passed, then exactly one trial goes through and its success closes the breaker', () => {
    const { breaker, transitions, advance } = clockedBreaker(1, 1000);
    breaker.recordFailure(new Error('a'));
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions).toEqual(['open', 'half_open', 'closed']);
  });

  it('when the half-open trial fails, then it opens again for a full cool-down', () => {
    const { breaker, advance } = clockedBreaker(1, 1000);
    breaker.recordFailure(new Error('a'));
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(new Error('b'));
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.snapshot().totals.opened).toBe(2);
  });

  it('when the state listener throws, then the breaker still changes state', () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      onStateChange: () => {
        throw new Error('listener');
      },
    });
    breaker.recordFailure(new Error('a'));
    expect(breaker.state).toBe('open');
  });
});
