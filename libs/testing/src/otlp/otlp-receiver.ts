import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { OTLP_TRACE_PROTO } from './otlp-trace-proto';

/** A received span, flattened: ids in lowercase hex, attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string; traceState: string | undefined; attributes: Record<string, unknown> }[];
  droppedLinks: number;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message: string | undefined };
  resource: Record<string, unknown>;
  startNs: bigint;
  endNs: bigint;
}

export interface OtlpReceiver {
  /** Base URL: what OTEL_EXPORTER_OTLP_ENDPOINT is set to (spans arrive at /v1/traces). */
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** Export requests that could not be decoded (the test should expect none). */
  readonly errors: string[];
  close(): Promise<void>;
}

const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root;
const ExportRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const ExportResponse = root.lookupType('otlp.ExportTraceServiceResponse');
const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS = ['UNSET', 'OK', 'ERROR'] as const;

interface KeyValue { key: string; value?: AnyValue }
interface AnyValue { string_value?: string; bool_value?: boolean; int_value?: number | string; double_value?: number; array_value?: { values?: AnyValue[] }; kvlist_value?: { values?: KeyValue[] }; bytes_value?: Buffer }

function value(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.string_value !== undefined) return v.string_value;
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return v.double_value;
  if (v.array_value) return (v.array_value.values ?? []).map(value);
  if (v.kvlist_value) return attributes(v.kvlist_value.values);
  if (v.bytes_value) return Buffer.from(v.bytes_value).toString('hex');
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

const hex = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('hex') : '');

/**
 * A real OTLP/HTTP trace endpoint on 127.0.0.1 (port 0): accepts `POST /v1/traces` with
 * `application/x-protobuf` (gzip too), decodes each ExportTraceServiceRequest and keeps its spans.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const errors: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (!String(req.headers['content-type']).startsWith('application/x-protobuf')) throw new Error(`content-type ${req.headers['content-type']}`);
        const request = ExportRequest.toObject(ExportRequest.decode(body), { longs: String, bytes: Buffer, defaults: false }) as {
          resource_spans?: { resource?: { attributes?: KeyValue[] }; scope_spans?: { spans?: Record<string, unknown>[] }[] }[];
        };
        for (const rs of request.resource_spans ?? []) {
          const resource = attributes(rs.resource?.attributes);
          for (const ss of rs.scope_spans ?? []) {
            for (const s of ss.spans ?? []) {
              const span = s as {
                trace_id?: Buffer; span_id?: Buffer; parent_span_id?: Buffer; name?: string; kind?: number; attributes?: KeyValue[];
                links?: { trace_id?: Buffer; span_id?: Buffer; trace_state?: string; attributes?: KeyValue[] }[]; dropped_links_count?: number;
                status?: { code?: number; message?: string }; start_time_unix_nano?: string; end_time_unix_nano?: string;
              };
              const parent = hex(span.parent_span_id);
              spans.push({
                traceId: hex(span.trace_id),
                spanId: hex(span.span_id),
                parentSpanId: parent === '' ? undefined : parent,
                name: span.name ?? '',
                kind: KINDS[span.kind ?? 0] ?? 'UNSPECIFIED',
                attributes: attributes(span.attributes),
                links: (span.links ?? []).map((l) => ({ traceId: hex(l.trace_id), spanId: hex(l.span_id), traceState: l.trace_state || undefined, attributes: attributes(l.attributes) })),
                droppedLinks: span.dropped_links_count ?? 0,
                status: { code: STATUS[span.status?.code ?? 0] ?? 'UNSET', message: span.status?.message || undefined },
                resource,
                startNs: BigInt(span.start_time_unix_nano ?? '0'),
                endNs: BigInt(span.end_time_unix_nano ?? '0'),
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(ExportResponse.encode(ExportResponse.create({})).finish()));
      } catch (err) {
        errors.push((err as Error).message);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
