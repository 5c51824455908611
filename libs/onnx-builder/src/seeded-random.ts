// Module-level bindings: inside sandboxed realms (Jest's vm context) every global `Math.x` lookup
// goes through an interceptor and costs ~1 µs, which made generating weights 30x slower there.
const { imul, sqrt, log, cos, sin, round, PI } = Math;

/** 32-bit FNV-1a: turns a tensor name into a seed, so each tensor's values depend only on (seed, name). */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i += 1) {
    h ^= name.charCodeAt(i);
    h = imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; plenty for reproducible random weights. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` samples of N(0, std²) clamped to ±clampSigmas·std (a truncated-normal initializer),
 * by Box-Muller from a seeded stream: the same (seed, count, std) always gives the same values.
 */
export function truncatedNormal(seed: number, count: number, std: number, clampSigmas = 4): Float32Array {
  const out = new Float32Array(count);
  const next = mulberry32(seed);
  const limit = clampSigmas * std;
  for (let i = 0; i < count; i += 2) {
    const u1 = 1 - next(); // (0, 1]: log(0) never happens
    const u2 = next();
    const r = sqrt(-2 * log(u1)) * std;
    const a = 2 * PI * u2;
    const x = r * cos(a);
    out[i] = x > limit ? limit : x < -limit ? -limit : x;
    if (i + 1 < count) {
      const y = r * sin(a);
      out[i + 1] = y > limit ? limit : y < -limit ? -limit : y;
    }
  }
  return out;
}

/** Symmetric int8 quantization with a fixed scale (zero point 0), as onnxruntime's QInt8 weights. */
export function quantizeInt8(values: Float32Array, scale: number): Int8Array {
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const q = round((values[i] as number) / scale);
    out[i] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
  return out;
}

export interface PerColumnInt8 {
  /** Row-major [rows, cols], symmetric (zero point 0). */
  values: Int8Array;
  /** One scale per column: max |w| of the column / 127. */
  scales: Float32Array;
}

/**
 * Symmetric int8 quantization of a row-major [rows, cols] matrix with one scale per column (per
 * output channel of x @ W), as onnxruntime's quantize_dynamic(per_channel=True) stores weights;
 * full range (no reduce_range: the target CPUs have VNNI, so u8 x s8 products do not saturate).
 */
export function quantizeInt8PerColumn(values: Float32Array, rows: number, cols: number): PerColumnInt8 {
  if (values.length !== rows * cols) throw new Error(`quantizeInt8PerColumn: ${values.length} values for [${rows}, ${cols}]`);
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      const v = values[r * cols + c] as number;
      const a = v < 0 ? -v : v;
      if (a > (scales[c] as number)) scales[c] = a;
    }
  }
  for (let c = 0; c < cols; c += 1) scales[c] = (scales[c] as number) > 0 ? (scales[c] as number) / 127 : 1;
  const out = new Int8Array(values.length);
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      const q = round((values[r * cols + c] as number) / (scales[c] as number));
      out[r * cols + c] = q > 127 ? 127 : q < -127 ? -127 : q;
    }
  }
  return { values: out, scales };
}
