import http from 'node:http';

/** Calls GET /health back to back (with `gapMs` between) and records each latency. */
export class HealthPinger {
  private readonly latencies: number[] = [];
  private failures = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly url: string, private readonly gapMs = 10) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t0 = performance.now();
        const ok = await this.ping();
        if (ok) this.latencies.push(performance.now() - t0);
        else this.failures++;
        await new Promise((r) => setTimeout(r, this.gapMs));
      }
    })();
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get(`${this.url}/health`, { agent: this.agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
  }

  async stop(): Promise<{ count: number; failures: number; p50: number; p99: number; max: number; latencies: number[] }> {
    this.running = false;
    await this.loop;
    this.agent.destroy();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { count: sorted.length, failures: this.failures, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, latencies: sorted };
  }
}

/** The p-th percentile of ascending `sorted` (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN;
}
