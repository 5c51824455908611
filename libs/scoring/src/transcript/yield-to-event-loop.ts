import { performance } from 'node:perf_hooks';
import { turnElapsedMs, yieldToEventLoop } from '../event-loop-turn';

export { yieldToEventLoop } from '../event-loop-turn';

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
    // The shared turn clock bounds the turn across concurrent flows; the own slice start keeps
    // a lone flow's slices as long as before.
    if (performance.now() - this.sliceStart >= this.sliceMs || turnElapsedMs() >= this.sliceMs) {
      await yieldToEventLoop();
      this.sliceStart = performance.now();
    }
  }
}
