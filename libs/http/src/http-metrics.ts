import { Counter, Histogram, type Registry } from 'prom-client';

export type HttpMetricLabel = 'method' | 'route' | 'status';

export interface HttpMetrics {
  requests: Counter<HttpMetricLabel>;
  duration: Histogram<HttpMetricLabel>;
}

export const HTTP_REQUESTS_METRIC = 'http_requests_total';
export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';

const LABELS: HttpMetricLabel[] = ['method', 'route', 'status'];
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Get-or-create by name on the given registry, so several apps (tests) can share one registry
 * without "already registered" errors.
 */
export function ensureHttpMetrics(registry: Registry): HttpMetrics {
  const requests =
    (registry.getSingleMetric(HTTP_REQUESTS_METRIC) as Counter<HttpMetricLabel> | undefined) ??
    new Counter({
      name: HTTP_REQUESTS_METRIC,
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: LABELS,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric(HTTP_DURATION_METRIC) as Histogram<HttpMetricLabel> | undefined) ??
    new Histogram({
      name: HTTP_DURATION_METRIC,
      help: 'Time from request start to the end of the answer, in seconds, by method, route template and status code.',
      labelNames: LABELS,
      buckets: BUCKETS,
      registers: [registry],
    });
  return { requests, duration };
}
