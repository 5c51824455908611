/**
 * Groups tokenized rows into micro-batches of similar length: padding every row to the
 * longest in its batch wastes compute, so rows are sorted by length first and each batch
 * is bounded both in rows and in padded tokens (rows x longest row).
 */
export interface MicroBatchLimits {
  /** Most rows per batch. */
  maxBatchSize: number;
  /** Most padded tokens per batch (rows x longest row); a single longer row still gets a batch. */
  maxBatchTokens: number;
}

/** Returns batches of indices into `lengths`; every index appears exactly once. */
export function planMicroBatches(lengths: ArrayLike<number>, limits: MicroBatchLimits): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  // Stable sort: equal lengths keep input order, which keeps results easy to reason about.
  order.sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0));
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Ascending order: the newcomer is the longest row, so it sets the padded width.
    const width = lengths[index] ?? 0;
    const rows = current.length + 1;
    if (current.length > 0 && (rows > limits.maxBatchSize || rows * width > limits.maxBatchTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
