import { describe, expect, it } from '@jest/globals';
import { parseDemoArgs } from '../../../../scripts/demo/demo-args';
import { formatReport, snapshotFromMetrics } from '../../../../scripts/demo/demo-snapshot';
import { histogramQuantile, histogramQuantileDetail, parseExposition, sumBy } from '../../../../scripts/demo/prometheus-exposition';

const EXPOSITION = `# HELP sentiment_messages_processed_total x
# TYPE sentiment_messages_processed_total counter
sentiment_messages_processed_total{outcome="result",service="sentiment-worker"} 90
sentiment_messages_processed_total{outcome="dead_letter",service="sentiment-worker"} 10
# TYPE sentiment_results_total counter
sentiment_results_total{label="positive",scorer="vader"} 60
sentiment_results_total{label="negative",scorer="vader"} 30
# TYPE sentiment_dead_letters_total counter
sentiment_dead_letters_total{reason="INVALID_JSON"} 10
# TYPE sentiment_consumer_lag gauge
sentiment_consumer_lag{topic="t",partition="0"} 3
sentiment_consumer_lag{topic="t",partition="1"} 4
# TYPE sentiment_end_to_end_latency_seconds histogram
sentiment_end_to_end_latency_seconds_bucket{le="0.1"} 0
sentiment_end_to_end_latency_seconds_bucket{le="1"} 50
sentiment_end_to_end_latency_seconds_bucket{le="2"} 100
sentiment_end_to_end_latency_seconds_bucket{le="+Inf"} 100
sentiment_end_to_end_latency_seconds_sum 120
sentiment_end_to_end_latency_seconds_count 100
`;

describe('demo metrics reading', () => {
  it('when the exposition has labelled counters, then sums by label come out largest first', () => {
    const samples = parseExposition(EXPOSITION);
    expect(sumBy(samples, 'sentiment_results_total', ['label', 'scorer'])).toEqual([
      ['positive/vader', 60],
      ['negative/vader', 30],
    ]);
  });

  it('when a histogram is read, then quantiles interpolate inside the bucket as histogram_quantile does', () => {
    const samples = parseExposition(EXPOSITION);
    expect(histogramQuantile(samples, 'sentiment_end_to_end_latency_seconds', 0.5)).toBeCloseTo(1, 6);
    expect(histogramQuantile(samples, 'sentiment_end_to_end_latency_seconds', 0.75)).toBeCloseTo(1.5, 6);
    expect(histogramQuantile(samples, 'no_such_metric', 0.5)).toBeUndefined();
    const overflowing = parseExposition('h_bucket{le="1"} 1\nh_bucket{le="5"} 2\nh_bucket{le="+Inf"} 10\n');
    expect(histogramQuantileDetail(overflowing, 'h', 0.5)).toEqual({ value: 5, overflow: true });
  });

  it('when a snapshot is taken, then the report accounts for every outcome and ends with the done line', () => {
    const snap = snapshotFromMetrics(EXPOSITION, 1000);
    expect([snap.processed, snap.results, snap.deadLetters, snap.lag]).toEqual([100, 90, 10, 7]);
    const report = formatReport({ snapshot: snap, expected: 100, sent: { valid: 90, malformed: 10 }, elapsedMs: 2000, health: { status: 200, body: { status: 'ok' } } });
    expect(report).toContain('throughput:      50.0 events/s');
    expect(report).toContain('end-to-end latency: p50 1.00 s, p99 1.98 s');
    expect(report.trimEnd().split('\n').pop()).toBe('demo: done ok processed=100 expected=100');
    const short = formatReport({ snapshot: snap, expected: 101, sent: { valid: 91, malformed: 10 }, elapsedMs: 2000, health: { status: 200, body: {} } });
    expect(short.trimEnd().split('\n').pop()).toBe('demo: done incomplete processed=100 expected=101');
  });

  it('when the demo is given options, then it parses them and rejects unknown ones', () => {
    expect(parseDemoArgs(['--events', '200', '--follow', '--kafka-port=auto'], {})).toMatchObject({ events: 200, follow: true, kafkaPort: 'auto', malformed: true });
    expect(parseDemoArgs([], { KAFKA_PORT: '19092' }).kafkaPort).toBe(19092);
    expect(() => parseDemoArgs(['--events', '0'], {})).toThrow(/positive integer/);
    expect(() => parseDemoArgs(['--bogus'], {})).toThrow(/unknown option --bogus/);
  });
});
