import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import { OriginalTraceHeaders } from '@sentiment/observability';
import { headerText, produceRaw, startOtlpReceiver, testBootstrap, type OtlpReceiver, type ReceivedSpan } from '@sentiment/testing';
import { createTestTopics, waitFor, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';

jest.setTimeout(120_000);

const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const newIds = () => ({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') });

describe('OpenTelemetry spans (real OTLP/HTTP receiver)', () => {
  let receiver: OtlpReceiver;
  const workers = new WorkerProcesses();
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await workers.killAll();
    await receiver?.close();
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set, then each batch is a "process" span linked to its inputs\' producer spans, with score and send children, and its outcomes carry the batch span as traceparent', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 2);
    const producers = Array.from({ length: 6 }, newIds);
    const inputs = producers.map((ids, i) => ({
      key: `call-${i}`,
      // The last one is not JSON: a dead letter, still linked.
      value: i === 5 ? '{"call_id": broken' : JSON.stringify({ call_id: `call-${i}`, text: i % 2 === 0 ? 'Thank you, this was great!' : 'This is terrible service.' }),
      headers: { traceparent: traceparentOf(ids.traceId, ids.spanId), ...(i === 0 ? { tracestate: 'vendor=abc' } : {}) },
    }));
    await produceRaw(bootstrap, topics.input, [...inputs, { key: 'no-trace', value: JSON.stringify({ call_id: 'no-trace', text: 'fine' }) }]);

    // A worker process of its own: the OTLP exporter loads node:http with a dynamic import(),
    // which jest's module sandbox refuses; a plain Node process is also what production runs.
    const worker = await workers.spawn(workerEnv(bootstrap, topics, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', INSTANCE_ID: 'traced-1' }));
    const outcomes = await waitForOutcomes(bootstrap, topics, 7);
    // A graceful stop exports what is still buffered.
    expect(await worker.stop()).toBe(0);
    expect(receiver.errors).toEqual([]);
    process.stdout.write(`[tracing test] ${receiver.spans.length} spans received: ${receiver.spans.map((s) => s.name).join(', ')}\n`);
    const spans = receiver.spans.filter((s) => s.attributes['messaging.destination.name'] === topics.input || s.resource['service.instance.id'] === 'traced-1');
    const processSpans = spans.filter((s) => s.name === `process ${topics.input}`);
    expect(processSpans.length).toBeGreaterThanOrEqual(1);

    for (const p of processSpans) {
      expect(p).toMatchObject({
        kind: 'CONSUMER',
        parentSpanId: undefined,
        status: { code: 'UNSET' },
        resource: { 'service.name': 'sentiment-worker', 'service.instance.id': 'traced-1' },
        attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': topics.input, 'messaging.consumer.group.name': topics.group },
      });
      expect(p.droppedLinks).toBe(0);
      const children = spans.filter((s) => s.parentSpanId === p.spanId);
      for (const c of children) expect(c.traceId).toBe(p.traceId);
      expect(children.map((c) => c.name).sort()).toEqual(expect.arrayContaining(['send']));
      expect(children.find((c) => c.name === 'send')?.kind).toBe('PRODUCER');
    }
    // Every input with a producer context is a link of exactly one batch span, with its offset; the one without is none.
    const links = processSpans.flatMap((p) => p.links);
    expect(links.map((l) => `${l.traceId}/${l.spanId}`).sort()).toEqual(producers.map((p) => `${p.traceId}/${p.spanId}`).sort());
    expect(links.find((l) => l.traceId === producers[0]?.traceId)?.traceState).toBe('vendor=abc');
    for (const l of links) expect(typeof l.attributes['messaging.kafka.offset']).toBe('number');
    // A batch with valid inputs was scored under its span.
    expect(spans.some((s) => s.name === 'score' && processSpans.some((p) => p.spanId === s.parentSpanId))).toBe(true);

    // Outcomes: traceparent names the batch span that produced them.
    const spanTraceparents = new Map(processSpans.map((p) => [traceparentOf(p.traceId, p.spanId), p] as const));
    const { results, deadLetters } = outcomes;
    expect(results).toHaveLength(6);
    for (const r of results) {
      const tp = headerText(r, 'traceparent') ?? '';
      expect(spanTraceparents.has(tp)).toBe(true);
      expect(headerText(r, 'tracestate')).toBeUndefined();
      const body = JSON.parse(String(r.value)) as { call_id: string; trace?: { traceparent: string } };
      // The body keeps the caller's context (docs/events.md): where the call came from.
      const i = Number(body.call_id.replace('call-', ''));
      if (body.call_id !== 'no-trace') expect(body.trace?.traceparent).toBe(traceparentOf(producers[i]!.traceId, producers[i]!.spanId));
      // The result's batch span links to the result's own input.
      if (body.call_id !== 'no-trace') expect(spanTraceparents.get(tp)?.links.some((l) => l.traceId === producers[i]!.traceId)).toBe(true);
    }
    expect(deadLetters).toHaveLength(1);
    const dead = deadLetters[0]!;
    expect(headerText(dead, DeadLetterHeaders.reason)).toBe('INVALID_JSON');
    expect(spanTraceparents.has(headerText(dead, 'traceparent') ?? '')).toBe(true);
    expect(headerText(dead, OriginalTraceHeaders.traceparent)).toBe(traceparentOf(producers[5]!.traceId, producers[5]!.spanId));
    printTree(processSpans, spans);
  });

  it('when the collector is unreachable, then the worker still processes everything (spans are dropped, not awaited)', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 1);
    await produceRaw(bootstrap, topics.input, Array.from({ length: 5 }, (_, i) => ({ key: `c-${i}`, value: JSON.stringify({ call_id: `c-${i}`, text: 'ok then' }) })));
    const dead = await startOtlpReceiver();
    await dead.close();
    const worker = await workers.spawn(workerEnv(bootstrap, topics, { OTEL_EXPORTER_OTLP_ENDPOINT: dead.endpoint, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_EXPORTER_OTLP_TIMEOUT: '500' }));
    const { results } = await waitForOutcomes(bootstrap, topics, 5);
    expect(results).toHaveLength(5);
    await waitFor('ready', async () => ((await fetch(`${worker.url}/ready`)).status === 200 ? true : undefined));
    expect(await worker.stop()).toBe(0);
  });
});

function printTree(roots: ReceivedSpan[], all: ReceivedSpan[]): void {
  const lines: string[] = [];
  for (const r of roots) {
    lines.push(`${r.name} [${r.kind}] trace=${r.traceId.slice(0, 8)} links=${r.links.length} ${Number(r.endNs - r.startNs) / 1e6} ms`);
    for (const c of all.filter((s) => s.parentSpanId === r.spanId)) lines.push(`  └ ${c.name} [${c.kind}] ${Number(c.endNs - c.startNs) / 1e6} ms`);
  }
  process.stdout.write(`[tracing test] span tree:\n${lines.join('\n')}\n`);
}
