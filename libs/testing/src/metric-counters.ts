/**
 * The counters (`*_total`) of a Prometheus text exposition, one entry per series: the name with its
 * labels as written, e.g. `sentiment_results_total{label="positive",scorer="vader",service="sentiment-worker"}`.
 * Counters count what was done, so two runs over the same input can be compared on them; gauges,
 * histograms and process metrics depend on timing and are left out.
 */
export function counterSeries(exposition: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(prefix)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*_total)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (match) out[`${match[1]}${match[2] ?? ''}`] = Number(match[3]);
  }
  return out;
}
