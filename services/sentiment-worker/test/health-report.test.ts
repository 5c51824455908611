import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { KafkaError, ModelError } from '@sentiment/errors';
import { createHttpApp, startHttpServer, type OpenApiDocument, type RunningHttpServer } from '@sentiment/http';
import { CircuitBreaker, createScorer, VaderScorer, type ScorerHealth } from '@sentiment/scoring';
import { describeErrors, OpenApiValidator } from '@sentiment/testing';
import { healthReport, readinessReport, type ConsumerSnapshot, type WorkerIdentity, type WorkerProbes } from '../src/health-report';

/*
 * /health and /ready computed from realistic inputs (the scorer's health from the real
 * createScorer and CircuitBreaker, consumer states as libs/kafka reports them), then served by
 * the real HTTP app and checked against the OpenAPI document that app serves, with every
 * documented object closed: a field that is sent but not documented fails.
 */

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:00:05.000Z';
const T2 = '2026-12-01T10:00:09.000Z';

const identity: WorkerIdentity = {
  service: 'sentiment-worker',
  version: '1.2.3',
  groupId: 'sentiment-worker',
  topics: ['calls.transcribed'],
  processingMode: 'at-least-once',
};

const joined: ConsumerSnapshot = {
  phase: 'joined',
  connected: true,
  inContact: true,
  lastContactAt: T2,
  assignment: { 'calls.transcribed': [0, 1, 2] },
  crashes: 0,
  restarts: 0,
  lastBatchAt: T1,
  lastStableAt: T1,
};

const crashError = { name: 'KafkaError', code: 'KAFKA_CONSUMER_CRASHED', message: 'offset commit failed: boom', retriable: false };

interface Scorers {
  roberta: ScorerHealth;
  vaderOnly: ScorerHealth;
  modelMissing: ScorerHealth;
  circuitOpen: ScorerHealth;
}

async function realScorerHealth(): Promise<Scorers> {
  const createFallback = () => new VaderScorer();
  const primary = { name: 'roberta-onnx', score: () => Promise.resolve([]), close: () => Promise.resolve() };
  const roberta = await createScorer({ createFallback, roberta: { modelDir: '/models/x' }, createPrimary: () => Promise.resolve(primary) });
  const vaderOnly = await createScorer({ createFallback });
  const modelMissing = await createScorer({
    createFallback,
    roberta: { modelDir: '/models/missing' },
    createPrimary: () => Promise.reject(new ModelError('MODEL_NOT_FOUND', 'no .onnx file in /models/missing', { retriable: false })),
  });
  const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 30_000, now: () => Date.parse(T1) });
  breaker.recordFailure(new ModelError('MODEL_TIMEOUT', 'inference took longer than 5000 ms'));
  breaker.recordFailure(new ModelError('MODEL_TIMEOUT', 'inference took longer than 5000 ms'));
  const ok = roberta.health();
  return {
    roberta: ok,
    vaderOnly: vaderOnly.health(),
    modelMissing: modelMissing.health(),
    circuitOpen: { ...ok, status: 'degraded', breaker: breaker.snapshot() },
  };
}

let scorers: Scorers;

function probes(over: Partial<WorkerProbes> = {}): WorkerProbes {
  return {
    consumer: joined,
    producer: { connected: true },
    scorer: scorers.roberta,
    modelLoaded: true,
    stopping: false,
    uptimeMs: 3_600_400,
    ...over,
  };
}

interface Scenario {
  name: string;
  probes: () => WorkerProbes;
  status: 'ok' | 'degraded' | 'fatal';
  healthReasons: RegExp[];
  ready: boolean;
  readyReasons: RegExp[];
}

const scenarios: Scenario[] = [
  { name: 'everything works', probes: () => probes(), status: 'ok', healthReasons: [], ready: true, readyReasons: [] },
  {
    name: 'the consumer is still connecting and the producer not yet connected',
    probes: () => probes({ consumer: { ...joined, phase: 'connecting', inContact: false, assignment: {} }, producer: { connected: false } }),
    status: 'degraded',
    healthReasons: [/^kafka consumer connecting$/],
    ready: false,
    readyReasons: [/not in its group \(connecting\)/, /^kafka producer not connected$/],
  },
  {
    name: 'the producer cannot connect (bad credentials)',
    probes: () => probes({ producer: { connected: false, connectError: new KafkaError('KAFKA_AUTH', 'SASL authentication failed') } }),
    status: 'degraded',
    healthReasons: [/^kafka producer cannot connect: KAFKA_AUTH: SASL authentication failed$/],
    ready: false,
    readyReasons: [/^kafka producer not connected: KAFKA_AUTH: SASL authentication failed$/],
  },
  {
    name: 'the producer is connected but cannot deliver (too few in-sync replicas, a partition leader gone)',
    probes: () => probes({ producer: { connected: true, cannotDeliver: `kafka producer cannot deliver: an attempt failed at ${T1} and no batch has completed since` } }),
    status: 'degraded',
    healthReasons: [new RegExp(`^kafka producer cannot deliver: an attempt failed at ${T1}`)],
    ready: false,
    readyReasons: [new RegExp(`^kafka producer cannot deliver: an attempt failed at ${T1}`)],
  },
  {
    name: 'the worker is shutting down while a send still waits for the broker',
    probes: () => probes({ stopping: true, consumer: { ...joined, phase: 'stopping', inContact: false }, producer: { connected: true, cannotDeliver: 'kafka producer cannot deliver: a send has waited 7 s for the broker' } }),
    status: 'ok',
    healthReasons: [],
    ready: false,
    readyReasons: [/^shutting down$/, /not in its group \(stopping\)/, /^kafka producer cannot deliver: a send has waited 7 s/],
  },
  {
    name: 'the consumer is in its group but the broker stopped answering',
    probes: () => probes({ consumer: { ...joined, inContact: false, lastContactAt: T0 } }),
    status: 'degraded',
    healthReasons: [new RegExp(`has not answered since ${T0}`)],
    ready: false,
    readyReasons: [new RegExp(`has not answered the consumer since ${T0}`)],
  },
  {
    name: 'the consumer crashed and is restarting',
    probes: () => probes({ consumer: { ...joined, phase: 'restarting', connected: false, inContact: false, crashes: 1, lastCrashAt: T2, lastError: crashError } }),
    status: 'degraded',
    healthReasons: [/^kafka consumer restarting: offset commit failed: boom$/],
    ready: false,
    readyReasons: [/not in its group \(restarting\)/],
  },
  {
    name: 'the consumer rejoined after a crash but has not completed a batch since',
    probes: () => probes({ consumer: { ...joined, crashes: 1, restarts: 1, lastCrashAt: T2, lastStableAt: T1, lastError: crashError } }),
    status: 'degraded',
    healthReasons: [new RegExp(`crashed at ${T2} and has not completed a batch since: offset commit failed`)],
    ready: true,
    readyReasons: [],
  },
  {
    name: 'the consumer rejoined after a crash and completed a batch since',
    probes: () => probes({ consumer: { ...joined, crashes: 1, restarts: 1, lastCrashAt: T1, lastStableAt: T2, lastError: crashError } }),
    status: 'ok',
    healthReasons: [],
    ready: true,
    readyReasons: [],
  },
  {
    name: 'the consumer gave up for good',
    probes: () =>
      probes({
        consumer: { ...joined, phase: 'fatal', connected: false, inContact: false, crashes: 6, restarts: 5, lastCrashAt: T2, lastError: crashError },
        fatalError: new KafkaError('KAFKA_CONSUMER_CRASHED', 'consumer crashed 6 times; giving up'),
      }),
    status: 'fatal',
    healthReasons: [/^consumer crashed 6 times; giving up$/, /^kafka consumer crashed at/],
    ready: false,
    readyReasons: [/^consumer stopped for good: consumer crashed 6 times/, /not in its group \(fatal\)/],
  },
  {
    name: 'the worker is shutting down',
    probes: () => probes({ stopping: true, consumer: { ...joined, phase: 'stopping', inContact: false } }),
    status: 'ok',
    healthReasons: [],
    ready: false,
    readyReasons: [/^shutting down$/, /not in its group \(stopping\)/],
  },
  {
    name: 'the model could not be loaded and VADER serves',
    probes: () => probes({ scorer: scorers.modelMissing, modelLoaded: false }),
    status: 'degraded',
    healthReasons: [/^scorer degraded: no \.onnx file in \/models\/missing$/],
    ready: true,
    readyReasons: [],
  },
  {
    name: 'the model circuit is open',
    probes: () => probes({ scorer: scorers.circuitOpen }),
    status: 'degraded',
    healthReasons: [/^model circuit open$/],
    ready: true,
    readyReasons: [],
  },
  { name: 'VADER serves by choice', probes: () => probes({ scorer: scorers.vaderOnly, modelLoaded: false }), status: 'ok', healthReasons: [], ready: true, readyReasons: [] },
];

function expectReasons(actual: readonly string[] | undefined, expected: RegExp[]): void {
  expect(actual ?? []).toHaveLength(expected.length);
  expected.forEach((pattern, i) => expect(actual?.[i]).toMatch(pattern));
}

let current: WorkerProbes;
let server: RunningHttpServer;
let url: string;
let validator: OpenApiValidator;

beforeAll(async () => {
  scorers = await realScorerHealth();
  current = probes();
  const app = createHttpApp({
    service: { name: identity.service, version: identity.version },
    health: () => healthReport(identity, current),
    ready: () => readinessReport(current),
    registry: new Registry(),
    analyze: () => Promise.reject(new Error('not used here')),
  });
  server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${server.port}`;
  validator = new OpenApiValidator((await (await fetch(`${url}/openapi.json`)).json()) as OpenApiDocument, { closed: true });
});

afterAll(async () => {
  await server.close();
});

describe.each(scenarios)('when $name', (scenario) => {
  it(`then /health is ${scenario.status} with its reasons and /ready is ${String(scenario.ready)}`, () => {
    const now = scenario.probes();
    const health = healthReport(identity, now);
    expect(health.status).toBe(scenario.status);
    expectReasons(health.reasons, scenario.healthReasons);
    const ready = readinessReport(now);
    expect(ready.ready).toBe(scenario.ready);
    expectReasons(ready.reasons, scenario.readyReasons);
  });

  it('then both answers, served by the HTTP app, match the OpenAPI document', async () => {
    current = scenario.probes();
    for (const path of ['/health', '/ready'] as const) {
      const res = await fetch(url + path);
      const expected = path === '/health' ? (scenario.status === 'fatal' ? 503 : 200) : scenario.ready ? 200 : 503;
      expect(res.status).toBe(expected);
      const body: unknown = await res.json();
      const validate = validator.responseValidator(path, 'get', String(res.status), 'application/json');
      if (!validate(body)) throw new Error(`${path} does not match the document: ${describeErrors(validate)}\n${JSON.stringify(body)}`);
    }
  });
});

describe('the closed check', () => {
  it('when a report carries a field the document does not name (breaker.opened_at, a new top-level field), then it fails', () => {
    const report = healthReport(identity, probes({ scorer: scorers.circuitOpen }));
    const validate = validator.responseValidator('/health', 'get', '200', 'application/json');
    expect(validate(report)).toBe(true);
    const drifted = { ...report, scorer: { ...report.scorer, breaker: { state: 'open', failures: 2, opened_at: T1 } } };
    expect(validate(drifted)).toBe(false);
    expect(validate({ ...report, started_at: T0 })).toBe(false);
  });
});

describe('the report fields', () => {
  it('when everything works, then it names the service, the scorer, the consumer and the producer', () => {
    expect(healthReport(identity, probes())).toEqual({
      status: 'ok',
      service: 'sentiment-worker',
      version: '1.2.3',
      scorer: { active: 'roberta-onnx', model_loaded: true, breaker: { state: 'closed', failures: 0 } },
      kafka: {
        connected: true,
        consumer: {
          state: 'running',
          group_id: 'sentiment-worker',
          topics: ['calls.transcribed'],
          assignment: { 'calls.transcribed': [0, 1, 2] },
          crashes: 0,
          restarts: 0,
          last_batch_at: T1,
        },
        producer: { connected: true },
      },
      processing_mode: 'at-least-once',
      uptime_s: 3600,
    });
  });

  it('when the circuit is open, then the breaker says when the model is tried again (retry_at)', () => {
    const breaker = healthReport(identity, probes({ scorer: scorers.circuitOpen })).scorer.breaker;
    expect(breaker).toEqual({ state: 'open', failures: 2, retry_at: new Date(Date.parse(T1) + 30_000).toISOString() });
  });

  it('when the model is missing, then the active scorer is VADER and the reason carries the code', () => {
    const scorer = healthReport(identity, probes({ scorer: scorers.modelMissing, modelLoaded: false })).scorer;
    expect(scorer).toEqual({ active: 'vader', model_loaded: false, degraded_reason: 'MODEL_NOT_FOUND: no .onnx file in /models/missing' });
  });

  it.each<[ConsumerSnapshot['phase'], string]>([
    ['idle', 'starting'],
    ['connecting', 'starting'],
    ['joining', 'starting'],
    ['joined', 'running'],
    ['rebalancing', 'rebalancing'],
    ['crashed', 'crashed'],
    ['restarting', 'crashed'],
    ['fatal', 'crashed'],
    ['stopping', 'stopping'],
    ['stopped', 'stopped'],
  ])('when the consumer phase is %s, then /health reports %s', (phase, state) => {
    expect(healthReport(identity, probes({ consumer: { ...joined, phase } })).kafka.consumer.state).toBe(state);
  });
});
