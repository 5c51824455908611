/** One look at a worker's probes. */
export interface ProbeSample {
  at: number;
  /** HTTP status of /ready, 0 when the worker did not answer within the timeout. */
  ready: number;
  readyReasons: string[];
  /** HTTP status of /health, 0 when the worker did not answer. */
  health: number;
  /** `status` of the /health report ('ok', 'degraded', 'fatal'). */
  healthStatus: string | undefined;
  healthReasons: string[];
  /** sentiment_in_flight_batches and sentiment_messages_consumed_total at that moment (-1: no answer). */
  inFlight: number;
  consumed: number;
}

async function metricValues(url: string): Promise<{ inFlight: number; consumed: number }> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
    const sum = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(name) && /^[a-z_]+(\{[^}]*\})? /.test(l) && l.split(/[{ ]/)[0] === name)
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return { inFlight: sum('sentiment_in_flight_batches'), consumed: sum('sentiment_messages_consumed_total') };
  } catch {
    return { inFlight: -1, consumed: -1 };
  }
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: {} };
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * Samples /ready and /health of a worker every `everyMs` until stopped, so a test can check what
 * the probes said while a broker was down: what Kubernetes would have seen.
 */
export class ProbeTimeline {
  readonly samples: ProbeSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly url: string,
    everyMs = 250,
  ) {
    this.loop = (async () => {
      while (this.running) {
        const at = Date.now();
        const [ready, health, metrics] = await Promise.all([getJson(`${this.url}/ready`), getJson(`${this.url}/health`), metricValues(this.url)]);
        this.samples.push({
          at,
          ready: ready.status,
          readyReasons: strings(ready.body['reasons']),
          health: health.status,
          healthStatus: typeof health.body['status'] === 'string' ? health.body['status'] : undefined,
          healthReasons: strings(health.body['reasons']),
          ...metrics,
        });
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - at))));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  between(from: number, to = Infinity): ProbeSample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }

  /** First sample at or after `from` that matches. */
  first(from: number, match: (s: ProbeSample) => boolean): ProbeSample | undefined {
    return this.samples.find((s) => s.at >= from && match(s));
  }

  /** Figures for the report: how long /ready was 503 and what the probes said meanwhile. */
  summary(from: number, to = Infinity): TimelineSummary {
    const window = this.between(from, to);
    let notReadyMs = 0;
    for (let i = 0; i < window.length; i++) {
      const s = window[i] as ProbeSample;
      const next = window[i + 1]?.at ?? s.at;
      if (s.ready !== 200) notReadyMs += next - s.at;
    }
    const firstNotReady = window.find((s) => s.ready !== 200);
    const lastNotReady = [...window].reverse().find((s) => s.ready !== 200);
    const readyAgain = lastNotReady ? window.find((s) => s.at > lastNotReady.at && s.ready === 200) : undefined;
    return {
      samples: window.length,
      notReadySamples: window.filter((s) => s.ready !== 200).length,
      notReadyMs,
      ...(firstNotReady ? { firstNotReadyAfterMs: firstNotReady.at - from } : {}),
      ...(readyAgain ? { readyAgainAfterMs: readyAgain.at - from } : {}),
      healthStatuses: [...new Set(window.map((s) => s.healthStatus ?? `no answer (${s.health})`))],
      readyReasons: [...new Set(window.flatMap((s) => s.readyReasons.map(shortReason)))],
    };
  }
}

export interface TimelineSummary {
  samples: number;
  notReadySamples: number;
  /** Sum of the intervals that started with a 503 (sampling resolution: everyMs). */
  notReadyMs: number;
  firstNotReadyAfterMs?: number;
  readyAgainAfterMs?: number;
  healthStatuses: string[];
  readyReasons: string[];
}

/** A reason without its timestamps and details, for reports: "kafka producer cannot deliver". */
export function shortReason(reason: string): string {
  return reason.replace(/:.*$/, '').replace(/ (since|at) .*$/, '');
}

/**
 * What must hold for any broker failover (docs/reliability.md): the API answers throughout,
 * /health never says fatal (liveness would restart the pod, which cannot help), and every 503
 * of /ready names a Kafka reason. Returns the violations, empty when all is well.
 */
export function probeViolations(samples: readonly ProbeSample[]): string[] {
  const problems: string[] = [];
  for (const s of samples) {
    const at = new Date(s.at).toISOString();
    if (s.health === 0 || s.ready === 0) problems.push(`${at}: the worker did not answer its probes`);
    else if (s.health !== 200 || s.healthStatus === 'fatal') problems.push(`${at}: /health ${s.health} ${s.healthStatus ?? ''}`);
    if (s.ready === 503 && (s.readyReasons.length === 0 || !s.readyReasons.every((r) => r.startsWith('kafka')))) {
      problems.push(`${at}: /ready 503 without a Kafka reason: ${JSON.stringify(s.readyReasons)}`);
    }
    if (s.ready !== 0 && s.ready !== 200 && s.ready !== 503) problems.push(`${at}: /ready answered ${s.ready}`);
  }
  return problems;
}

/** A stretch without results during which /ready never said 503 (after the grace period). */
export interface SilentStall {
  from: number;
  ms: number;
  /**
   * `produce`: batches were in flight, i.e. results waited for the broker (the worker must say so);
   * `consume`: nothing was in flight, the consumer fetched nothing (kafkajs 2.2.4 stops every
   * fetcher while one broker is unreachable, see docs/reliability.md), which the worker cannot see.
   */
  side: 'produce' | 'consume';
  text: string;
}

/**
 * Stretches of at least `minGapMs` without a new result (the stream kept sending) during which /ready
 * never said 503 after `graceMs`: the worker delivered nothing yet claimed to be ready. `gaps` are
 * the result gaps of the window, from result-timeline.ts.
 */
export function silentStalls(
  gaps: ReadonlyArray<{ from: number; ms: number }>,
  samples: readonly ProbeSample[],
  options: { minGapMs: number; graceMs: number },
): SilentStall[] {
  return gaps
    .filter((g) => g.ms >= options.minGapMs)
    .filter((g) => !samples.some((s) => s.at >= g.from + options.graceMs && s.at <= g.from + g.ms && s.ready !== 200))
    .map((g) => {
      // After the grace period: batches cut short by the fault itself settle within it.
      const during = samples.filter((s) => s.at >= g.from + options.graceMs && s.at <= g.from + g.ms);
      const consumed = during.length > 1 ? (during.at(-1) as ProbeSample).consumed - (during[0] as ProbeSample).consumed : 0;
      const side = during.some((s) => s.inFlight > 0) ? 'produce' : 'consume';
      const inFlight = [...new Set(during.map((s) => s.inFlight))].join('/');
      return {
        from: g.from,
        ms: g.ms,
        side,
        text: `${new Date(g.from).toISOString()}: no result for ${g.ms} ms, /ready 200 throughout (${side} side: batches in flight ${inFlight || '-'}, ${consumed} messages consumed meanwhile)`,
      };
    });
}
