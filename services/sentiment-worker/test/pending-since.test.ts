import { describe, expect, it } from '@jest/globals';
import { PendingSince } from '../src/pending-since';

describe('PendingSince', () => {
  it('when nothing is in progress, then the oldest wait is 0', () => {
    expect(new PendingSince().oldestWaitMs()).toBe(0);
  });

  it('when operations are in progress, then the oldest one counts, and each stops counting once it settles, resolved or rejected', async () => {
    const pending = new PendingSince();
    let finishFirst: () => void = () => undefined;
    let failSecond: (err: Error) => void = () => undefined;
    const first = pending.track(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    const second = pending.track(() => new Promise<void>((_resolve, reject) => (failSecond = reject)));
    expect(pending.oldestWaitMs(startedAt + 10_000)).toBeGreaterThanOrEqual(10_000);

    finishFirst();
    await first;
    // Only the second, started at least 20 ms later, is left.
    expect(pending.oldestWaitMs(startedAt + 10_000)).toBeLessThanOrEqual(10_000 - 20);
    expect(pending.oldestWaitMs(startedAt + 10_000)).toBeGreaterThan(0);

    failSecond(new Error('refused'));
    await expect(second).rejects.toThrow('refused');
    expect(pending.oldestWaitMs()).toBe(0);
  });

  it('when an operation throws before it returns its promise, then it does not stay in progress', async () => {
    const pending = new PendingSince();
    await expect(
      pending.track((): Promise<void> => {
        throw new Error('not a member');
      }),
    ).rejects.toThrow('not a member');
    expect(pending.oldestWaitMs()).toBe(0);
  });
});
