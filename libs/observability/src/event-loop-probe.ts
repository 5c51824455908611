import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

/** Event-loop delay percentiles in milliseconds, for benchmarks and /health. */
export class EventLoopProbe {
  private readonly histogram: ELDHistogram;

  constructor(resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  start(): this {
    this.histogram.enable();
    return this;
  }

  stop(): void {
    this.histogram.disable();
  }

  reset(): void {
    this.histogram.reset();
  }

  snapshot(): { p50_ms: number; p99_ms: number; max_ms: number } {
    const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
    return {
      p50_ms: ms(this.histogram.percentile(50)),
      p99_ms: ms(this.histogram.percentile(99)),
      max_ms: ms(this.histogram.max),
    };
  }
}
