import type { Attributes, Link, Span, TraceState, Tracer } from '@opentelemetry/api';
import { extractTraceContext } from '../trace-context';
import type { BatchSpan, BatchSpanInput, BatchTracer, ChildSpan } from './batch-tracer';
import { MAX_LINKS_PER_BATCH_SPAN, type TracingOptions } from './tracing-options';

/** Attribute names of the OpenTelemetry messaging semantic conventions (1.2x+), spelled out once. */
const Attr = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  batchCount: 'messaging.batch.message_count',
  offset: 'messaging.kafka.offset',
} as const;


/**
 * The OpenTelemetry SDK behind BatchTracer: a tracer provider of our own (not the global one, so
 * nothing else in the process is traced by accident), a batch span processor and the OTLP/HTTP
 * protobuf exporter. Loaded with dynamic imports, only when tracing is on.
 */
export async function createOtelBatchTracer(options: TracingOptions): Promise<BatchTracer> {
  const [{ TracerProvider, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler }, { OTLPTraceExporter }, { resourceFromAttributes }, api] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/api'),
  ]);
  // The exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself (headers, timeout,
  // compression); the URL is passed because ours is derived from OTEL_EXPORTER_OTLP_ENDPOINT the
  // same way the SDK would.
  const exporter = new OTLPTraceExporter({ url: options.tracesEndpoint });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': options.serviceVersion,
      'service.instance.id': options.instanceId,
    }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanLimits: { linkCountLimit: MAX_LINKS_PER_BATCH_SPAN },
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.scheduledDelayMs })],
  });
  const tracer: Tracer = provider.getTracer('sentiment-worker');

  const startBatchSpan = (input: BatchSpanInput): BatchSpan => {
    const links: Link[] = [];
    for (const m of input.messages) {
      const trace = extractTraceContext(m.headers);
      const context = trace ? remoteContext(api.createTraceState, trace) : undefined;
      if (context) links.push({ context, attributes: { [Attr.offset]: Number(m.offset) } });
    }
    const span = tracer.startSpan(`process ${input.topic}`, {
      kind: api.SpanKind.CONSUMER,
      links,
      // A new trace per batch: the inputs belong to many traces, so none is the parent (messaging conventions).
      root: true,
      attributes: {
        [Attr.system]: 'kafka',
        [Attr.operationType]: 'process',
        [Attr.operationName]: 'process',
        [Attr.destination]: input.topic,
        [Attr.partition]: String(input.partition),
        [Attr.consumerGroup]: input.consumerGroup,
        [Attr.batchCount]: input.messages.length,
      },
    });
    const parent = api.trace.setSpan(api.context.active(), span);
    const sc = span.spanContext();
    const traceparent = `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 1) === 1 ? '01' : '00'}`;
    return {
      traceparent,
      child(name, attributes): ChildSpan {
        const kind = name === 'send' ? api.SpanKind.PRODUCER : api.SpanKind.INTERNAL;
        const childSpan = tracer.startSpan(name, { kind, ...(attributes ? { attributes: attributes as Attributes } : {}) }, parent);
        return { end: (error?: unknown) => endSpan(childSpan, error) };
      },
      setAttributes(attributes) {
        span.setAttributes(attributes);
      },
      end: (error?: unknown) => endSpan(span, error),
    };
  };

  return {
    startBatchSpan,
    async shutdown() {
      await provider.shutdown();
    },
  };
}

function endSpan(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.setStatus({ code: 2 /* SpanStatusCode.ERROR */, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** A producer's context from an accepted traceparent (libs/observability/src/trace-context.ts). */
function remoteContext(createTraceState: (header: string) => TraceState, trace: { traceparent: string; tracestate?: string }): Link['context'] | undefined {
  const [, traceId, spanId, flags] = trace.traceparent.split('-');
  if (!traceId || !spanId || !flags) return undefined;
  return {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & 0xff,
    isRemote: true,
    ...(trace.tracestate ? { traceState: createTraceState(trace.tracestate) } : {}),
  };
}
