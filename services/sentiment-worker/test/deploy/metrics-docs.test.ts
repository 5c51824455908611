import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { ensureHttpMetrics } from '@sentiment/http';
import { createWorkerMetrics } from '@sentiment/observability';
import { metricNamesInPromQl } from './helpers/promql-metric-names';
import { readRepoFile } from './helpers/deploy-files';

const doc = readRepoFile('docs/metrics.md');
const documented = new Set([...doc.matchAll(/`([a-z_:][a-z0-9_:]*)`/g)].map((m) => m[1] as string));

describe('docs/metrics.md', () => {
  it('when the worker and HTTP metrics are defined, then each one is documented by name', async () => {
    const registry = new Registry();
    createWorkerMetrics(registry);
    ensureHttpMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(names.filter((n) => !documented.has(n))).toEqual([]);
  });

  it('when the dashboard queries a metric, then the metrics guide documents it', () => {
    const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboards/sentiment-worker.json')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const used = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNamesInPromQl(t.expr))));
    const family = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
    expect([...used].filter((n) => !documented.has(n) && !documented.has(family(n)))).toEqual([]);
  });
});
