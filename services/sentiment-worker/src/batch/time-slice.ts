/** Messages handled between two looks at the shared turn clock (docs/performance.md); the turn's length is TURN_SLICE_MS (libs/scoring). */
export const CHECK_EVERY = 32;
