import { performance } from 'node:perf_hooks';

/*
 * One clock for every cooperative flow in the process. Budgets kept per flow do not bound a
 * loop turn: when three batches are in flight, flow A yields after its slice, and B and C
 * carry on in the same microtask drain, so the turn lasts three slices. Here every flow
 * compares against the start of the current turn, which is reset by the first immediate
 * of the next check phase: once the turn is over, every flow yields, and HTTP requests and
 * Kafka heartbeats get the loop (poll phase) before any of them runs again.
 */

/**
 * Longest run of synchronous work in one loop turn, counted over every flow (the batch
 * processor, VADER scoring, transcript analysis), in ms. One number, so the turn has one bound.
 */
export const TURN_SLICE_MS = 5;

let turnStart = performance.now();
let resetArmed = false;

function armReset(): void {
  if (resetArmed) return;
  resetArmed = true;
  setImmediate(() => {
    resetArmed = false;
    turnStart = performance.now();
  });
}

/** Lets pending I/O callbacks (HTTP probes, Kafka heartbeats) run before the caller goes on. */
export function yieldToEventLoop(): Promise<void> {
  armReset();
  return new Promise((resolve) => setImmediate(resolve));
}

/** Milliseconds since the current turn started (as far as cooperative flows know). */
export function turnElapsedMs(): number {
  return performance.now() - turnStart;
}

/** Yields when the current turn has run `sliceMs` or more, counting every flow's work. */
export async function yieldIfTurnOver(sliceMs: number = TURN_SLICE_MS): Promise<void> {
  if (performance.now() - turnStart >= sliceMs) await yieldToEventLoop();
}

/**
 * A flow's own slice on top of the shared turn: yields once `sliceMs` have passed since this
 * flow last yielded, or the turn is over. Time, not characters, because an injected chunker's
 * cost per character ranges from a string split to a BPE tokenizer a hundred times slower.
 */
export class YieldBudget {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number = TURN_SLICE_MS) {}

  async check(): Promise<void> {
    // The shared turn clock bounds the turn across concurrent flows; the own slice start keeps
    // a lone flow's slices as long as before.
    if (performance.now() - this.sliceStart >= this.sliceMs || turnElapsedMs() >= this.sliceMs) {
      await yieldToEventLoop();
      this.sliceStart = performance.now();
    }
  }
}
