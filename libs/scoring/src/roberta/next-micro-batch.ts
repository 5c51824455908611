/**
 * Which rows of the inference queue form the next micro-batch. The oldest row always goes in,
 * so nothing waits behind newer work for ever; the others are the rows of the window (the
 * oldest `windowRows`) closest to it in length, so padding stays small (as in micro-batches.ts,
 * a batch is bounded by rows and by padded tokens: rows x longest row).
 */
import type { MicroBatchLimits } from './micro-batches';

export interface NextMicroBatch {
  /** Positions in the queue. */
  rows: number[];
  /**
   * True when a limit closed the batch (another row would break maxBatchSize or maxBatchTokens,
   * or the queue reaches past the window): waiting would not make it any bigger.
   */
  full: boolean;
}

/** `lengths[i]` is the token count of the i-th queued row, oldest first. */
export function nextMicroBatch(lengths: ArrayLike<number>, limits: MicroBatchLimits & { windowRows: number }): NextMicroBatch {
  const window = Math.min(lengths.length, Math.max(1, limits.windowRows));
  if (window === 0) return { rows: [], full: false };
  const len = (i: number) => lengths[i] ?? 0;
  // Window positions by length (stable: equal lengths keep queue order), and the oldest row's place.
  const order = Array.from({ length: window }, (_, i) => i).sort((a, b) => len(a) - len(b));
  const head = order.indexOf(0);
  const rows = [0];
  let width = len(0);
  // Grow outwards from the oldest row in length order, nearest length first; a shorter row never
  // widens the batch, a longer one widens every row of it.
  let below = head - 1;
  let above = head + 1;
  let closed = false;
  const fits = (candidateLength: number) => (rows.length + 1) * Math.max(width, candidateLength) <= limits.maxBatchTokens;
  while (rows.length < limits.maxBatchSize) {
    const down = below >= 0 ? len(order[below] as number) : undefined;
    const up = above < window ? len(order[above] as number) : undefined;
    const downFits = down !== undefined && fits(down);
    const upFits = up !== undefined && fits(up);
    if (!downFits && !upFits) {
      closed = down !== undefined || up !== undefined;
      break;
    }
    const takeDown = downFits && (!upFits || width - (down as number) <= (up as number) - width);
    if (takeDown) rows.push(order[below--] as number);
    else {
      rows.push(order[above++] as number);
      width = Math.max(width, up as number);
    }
  }
  const capped = rows.length >= limits.maxBatchSize;
  return { rows, full: closed || capped || lengths.length > window };
}
