import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePorts } from '@sentiment/testing';
import { parse as parseYaml } from 'yaml';
import { startTestWorker, workerEnv } from '../helpers/worker-harness';
import { metricNamesInPromQl } from './helpers/promql-metric-names';
import { readRepoFile } from './helpers/deploy-files';

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
  gridPos: { h: number; w: number; x: number; y: number };
}

const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboards/sentiment-worker.json')) as { uid: string; title: string; panels: Panel[] };
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
const expressions = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Metric families from a real exposition: `# HELP name ...` and `# TYPE name type`. */
function families(exposition: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1] as string, m[2] as string);
  return out;
}

/** A series name as queried -> its family, when the exposition has it (histograms add _bucket/_sum/_count). */
function familyOf(name: string, known: Map<string, string>): string | undefined {
  if (known.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && ['histogram', 'summary'].includes(known.get(m[1] as string) ?? '')) return m[1];
  return undefined;
}

describe('Grafana dashboard', () => {
  let exposition = '';
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  beforeAll(async () => {
    // The API serves /metrics even while Kafka is unreachable: a port nobody listens on will do.
    const [closedPort] = await freePorts(1);
    worker = await startTestWorker(
      workerEnv(`127.0.0.1:${closedPort}`, { input: 'in', output: 'out', dlq: 'dlq', group: 'dashboard-test' }, { KAFKA_CONNECTION_TIMEOUT_MS: '200' }),
    );
    exposition = await (await fetch(`${worker.url}/metrics`)).text();
    // One request more, so the HTTP metrics have been observed at least once (they are created lazily).
    exposition = await (await fetch(`${worker.url}/metrics`)).text();
  }, 60_000);

  afterAll(async () => {
    await worker?.stop('test done');
  }, 60_000);

  it('when provisioned, then the JSON parses, has a stable uid and queries the provisioned Prometheus datasource', () => {
    expect(dashboard.uid).toBe('sentiment-worker');
    expect(queryPanels.length).toBeGreaterThanOrEqual(10);
    const datasources = parseYaml(readRepoFile('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ uid: string }> };
    const uid = datasources.datasources[0]?.uid;
    for (const panel of queryPanels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid });
      expect((panel.targets ?? []).length).toBeGreaterThan(0);
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it('when a panel queries a metric, then the running worker exports that metric family', () => {
    const known = families(exposition);
    expect(known.get('sentiment_messages_processed_total')).toBe('counter');
    const missing: Array<{ panel: string; metric: string }> = [];
    for (const { panel, expr } of expressions) {
      const names = metricNamesInPromQl(expr);
      expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
      for (const metric of names) if (!familyOf(metric, known)) missing.push({ panel, metric });
    }
    expect(missing).toEqual([]);
  });

  it('when the dashboard is read, then it covers throughput, latency, results, dead letters, lag, event loop, scorer and crashes', () => {
    const all = expressions.map((e) => e.expr).join('\n');
    for (const needed of [
      'sentiment_messages_processed_total',
      'sentiment_end_to_end_latency_seconds_bucket',
      'sentiment_scoring_duration_seconds_bucket',
      'sentiment_results_total',
      'sentiment_dead_letters_total',
      'sentiment_consumer_lag',
      'nodejs_eventloop_lag_p99_seconds',
      'sentiment_scorer_active',
      'sentiment_model_circuit_state',
      'sentiment_consumer_crashes_total',
    ]) {
      expect(all).toContain(needed);
    }
  });
});

describe('metricNamesInPromQl', () => {
  it('when an expression aggregates, filters and ranges, then only the selected metric names come out', () => {
    expect(
      metricNamesInPromQl(
        'histogram_quantile(0.99, sum by (le, scorer) (rate(sentiment_scoring_duration_seconds_bucket{scorer="vader"}[$__rate_interval]))) / on (instance) group_left up or vector(0)',
      ).sort(),
    ).toEqual(['sentiment_scoring_duration_seconds_bucket', 'up']);
  });

  it('when a metric name is misspelt, then the family lookup does not find it', () => {
    const known = families('# TYPE sentiment_results_total counter\n# TYPE sentiment_batch_size histogram\n');
    expect(familyOf('sentiment_batch_size_bucket', known)).toBe('sentiment_batch_size');
    expect(familyOf('sentiment_result_total', known)).toBeUndefined();
    expect(familyOf('sentiment_results_total_bucket', known)).toBeUndefined();
  });
});
