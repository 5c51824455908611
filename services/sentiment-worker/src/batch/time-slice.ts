/** Messages handled between two looks at the shared turn clock (docs/performance.md). */
export const CHECK_EVERY = 32;
/** Longest run of this flow's work (shared with every other flow) before the loop gets a turn. */
export const SLICE_MS = 5;
