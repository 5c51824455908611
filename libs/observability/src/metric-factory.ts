import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/*
 * Get-or-create by name: a second worker instance in one process (tests) or a second
 * library asking for the same metric must not throw "already registered".
 */

export function ensureCounter<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[] },
): Counter<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<L>;
  return new Counter<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] });
}

export function ensureGauge<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[] },
): Gauge<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Gauge<L>;
  return new Gauge<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] });
}

export function ensureHistogram<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[]; buckets: number[] },
): Histogram<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  return new Histogram<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] });
}
