/**
 * Just enough of the Prometheus text format to read the worker's own /metrics in the demo:
 * samples with labels, sums by a label, and histogram quantiles computed like PromQL's
 * histogram_quantile (linear interpolation inside the bucket).
 */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = m[4] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    samples.push({ name: m[1] as string, labels, value });
  }
  return samples;
}

/** Sum of a metric's samples, optionally only those whose labels match `where`. */
export function sumOf(samples: readonly MetricSample[], name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(where).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** Sum of a metric grouped by the values of one or more labels (joined with '/'), largest first. */
export function sumBy(samples: readonly MetricSample[], name: string, labels: readonly string[]): Array<[string, number]> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = labels.map((l) => s.labels[l] ?? '').join('/');
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return [...out.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
}

/**
 * The q-quantile of a histogram (all its series summed per `le`), as histogram_quantile does:
 * undefined without observations; the upper bound of the last finite bucket when it falls in +Inf.
 */
export function histogramQuantile(samples: readonly MetricSample[], name: string, q: number): number | undefined {
  return histogramQuantileDetail(samples, name, q)?.value;
}

/** As histogramQuantile, and whether the quantile lies beyond the last finite bucket (then `value` is only a lower bound). */
export function histogramQuantileDetail(
  samples: readonly MetricSample[],
  name: string,
  q: number,
): { value: number; overflow: boolean } | undefined {
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || s.labels['le'] === undefined) continue;
    const le = s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le']);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted[sorted.length - 1]?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return { value: prevBound, overflow: true };
      if (count === prevCount) return { value: bound, overflow: false };
      return { value: prevBound + ((bound - prevBound) * (rank - prevCount)) / (count - prevCount), overflow: false };
    }
    prevBound = bound;
    prevCount = count;
  }
  return { value: prevBound, overflow: false };
}
