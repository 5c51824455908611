/**
 * A counting semaphore whose waiters can be cancelled with an AbortSignal. The inference pool
 * uses it to hand piscina a task only when a worker is free: a task piscina has started must
 * never be aborted (see inference-pool.ts), but a task still waiting here can be dropped safely.
 */
export class TaskSlots {
  private free: number;
  private readonly waiters: Array<{ grant: () => void; fail: (err: unknown) => void }> = [];
  private readonly drained: Array<() => void> = [];
  private closedWith: unknown = undefined;

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Tasks holding a slot. */
  get busy(): number {
    return this.size - this.free;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        fail: (err: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = (): void => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Refuses new and waiting acquirers with `reason`, then resolves once every held slot is released. */
  close(reason: unknown): Promise<void> {
    this.closedWith = reason;
    for (const waiter of this.waiters.splice(0)) waiter.fail(reason);
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) {
        next.grant();
        return;
      }
      this.free++;
      if (this.busy === 0) for (const resolve of this.drained.splice(0)) resolve();
    };
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}
