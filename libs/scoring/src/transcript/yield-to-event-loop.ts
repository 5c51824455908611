import { performance } from 'node:perf_hooks';

/** Lets pending I/O callbacks (Kafka heartbeats, HTTP probes) run before the next slice of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Default longest run of synchronous work between two yields, in ms. */
export const DEFAULT_SLICE_MS = 10;

/**
 * Yields to the event loop once `sliceMs` have passed since the last yield. Time, not
 * characters, because the injected chunker's cost per character ranges from a string split
 * to a BPE tokenizer a hundred times slower.
 */
export class YieldBudget {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  async check(): Promise<void> {
    if (performance.now() - this.sliceStart >= this.sliceMs) {
      await yieldToEventLoop();
      this.sliceStart = performance.now();
    }
  }
}
