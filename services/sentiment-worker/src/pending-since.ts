/**
 * Operations waiting for the broker, by start time: how long the oldest has waited. Readiness uses
 * it for sends and offset commits alike (a broker that accepts the connection but does not answer).
 */
export class PendingSince {
  private readonly started = new Set<{ at: number }>();

  async track<T>(run: () => Promise<T>): Promise<T> {
    const entry = { at: Date.now() };
    this.started.add(entry);
    // try/finally, not run().finally(): an operation that throws before returning its promise
    // must not stay "in progress" for ever (readiness would never come back).
    try {
      return await run();
    } finally {
      this.started.delete(entry);
    }
  }

  /** Milliseconds the oldest operation in progress has waited; 0 when none is. */
  oldestWaitMs(now = Date.now()): number {
    let oldest = now;
    for (const entry of this.started) oldest = Math.min(oldest, entry.at);
    return now - oldest;
  }
}
