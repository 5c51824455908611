import { Gauge, Registry } from 'prom-client';
import type { Score } from '@sentiment/events';
import type { AnalyzeRequest, AnalyzeResponse, HealthReport, HttpAppDeps, HttpLogger, ReadinessReport } from '@sentiment/http';

export function fakeScore(model = 'fake-scorer'): Score {
  return {
    label: 'positive',
    scores: { negative: 0.01, neutral: 0.04, positive: 0.95 },
    confidence: 0.95,
    low_confidence: false,
    model,
  };
}

/** What a worker would answer, built without any model: results per text, or a transcript summary. */
export async function fakeAnalyze(request: AnalyzeRequest): Promise<AnalyzeResponse> {
  if (request.kind === 'text') return { results: [fakeScore()] };
  if (request.kind === 'texts') return { results: request.texts.map(() => fakeScore()) };
  return {
    overall: { ...fakeScore(), models: ['fake-scorer'] },
    chunks: request.segments.length,
    segments: request.segments.map((s, index) => ({ ...fakeScore(), index, speaker: s.speaker, chunks: 1 })),
    speakers: Object.fromEntries(request.segments.map((s) => [s.speaker, { ...fakeScore(), segments: 1 }])),
  };
}

export function healthReport(status: HealthReport['status'] = 'ok'): HealthReport {
  return {
    status,
    scorer: {
      active: status === 'ok' ? 'roberta-onnx' : 'vader',
      model_loaded: status === 'ok',
      ...(status === 'ok' ? {} : { degraded_reason: 'model failed to load', breaker: { state: 'open' as const, failures: 3 } }),
    },
    kafka: { connected: status !== 'fatal', consumer: { state: status === 'fatal' ? 'crashed' : 'running', group_id: 'g', topics: ['calls.transcribed'] } },
    uptime_s: 12.5,
    ...(status === 'ok' ? {} : { reasons: [`status ${status}`] }),
  };
}

/** Mutable knobs a test turns to make each route answer each documented status. */
export interface FakeState {
  health: HealthReport;
  ready: ReadinessReport;
  healthThrows: boolean;
  readyThrows: boolean;
  metricsThrow: boolean;
  analyze: (request: AnalyzeRequest) => Promise<AnalyzeResponse>;
  analyzeCalls: AnalyzeRequest[];
}

export interface RecordedLog {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown> | undefined;
}

export function recordingLogger(): { logger: HttpLogger; lines: RecordedLog[] } {
  const lines: RecordedLog[] = [];
  const at =
    (level: RecordedLog['level']) =>
    (message: string, meta?: Record<string, unknown>): void => {
      lines.push({ level, message, meta });
    };
  return { logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

export function fakeDeps(registry = new Registry()): { deps: Omit<HttpAppDeps, 'options' | 'logger'>; state: FakeState } {
  const state: FakeState = {
    health: healthReport('ok'),
    ready: { ready: true, reasons: [] },
    healthThrows: false,
    readyThrows: false,
    metricsThrow: false,
    analyze: fakeAnalyze,
    analyzeCalls: [],
  };
  const gaugeName = 'test_collect_probe';
  if (!registry.getSingleMetric(gaugeName)) {
    new Gauge({
      name: gaugeName,
      help: 'Throws on collect when a test asks it to (drives GET /metrics to 500).',
      registers: [registry],
      collect() {
        if (state.metricsThrow) throw new Error('collector failed');
        this.set(1);
      },
    });
  }
  return {
    state,
    deps: {
      service: { name: 'sentiment-worker', version: '9.9.9-test' },
      registry,
      health: () => {
        if (state.healthThrows) throw new Error('health probe failed');
        return state.health;
      },
      ready: async () => {
        if (state.readyThrows) throw new Error('ready probe failed');
        return state.ready;
      },
      analyze: (request) => {
        state.analyzeCalls.push(request);
        return state.analyze(request);
      },
    },
  };
}
