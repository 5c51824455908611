import { type ErrorCode } from '@sentiment/errors';
import { callSegmentSchema, scoreSchema, segmentResultSchema, speakerResultSchema, trajectorySchema } from '@sentiment/events';
import { textsAnalysisSchema, transcriptAnalysisSchema } from './analyze-response.schema';
import { healthReportSchema, readinessReportSchema } from './health-report.schema';
import { BAD_REQUEST_CODES, PAYLOAD_TOO_LARGE_CODES, UNAVAILABLE_CODES } from './http-error-response';
import { DEFAULT_ANALYZE_LIMITS, type AnalyzeLimits } from './http-options';

/*
 * The OpenAPI 3.1 description of the API, built from the same limits the app enforces, so
 * `GET /openapi.json` states the numbers of the running process. docs/openapi.json is this
 * document with the default limits (`npm run docs:openapi` writes it). Shapes that have a
 * JSON Schema of their own (the score, segment and result parts in libs/events, the health
 * reports and analysis answers here) are embedded from it, never restated.
 */

export type JsonSchema = Record<string, unknown>;

export interface OpenApiMediaType {
  schema: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  requestBody?: { required: boolean; description?: string; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type HttpMethodName = 'get' | 'post' | 'options';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license?: { name: string; identifier: string } };
  jsonSchemaDialect: string;
  paths: Record<string, Partial<Record<HttpMethodName, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
  };
}

export interface OpenApiBuildOptions {
  service?: { name: string; version: string };
  limits?: Partial<AnalyzeLimits>;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const JSON_TYPE = 'application/json';
const METRICS_TYPE = 'text/plain';

function errorSchema(codes: readonly ErrorCode[]): JsonSchema {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: [...codes], description: 'Stable machine-readable code (libs/errors).' },
          message: { type: 'string', description: 'Human-readable explanation; do not parse.' },
        },
      },
    },
  };
}

function errorResponse(description: string, codes: readonly ErrorCode[], headers?: OpenApiResponse['headers']): OpenApiResponse {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [JSON_TYPE]: { schema: errorSchema(codes), example: { error: { code: codes[0], message: '...' } } } },
  };
}

function jsonResponse(description: string, schema: JsonSchema, example?: unknown): OpenApiResponse {
  return { description, content: { [JSON_TYPE]: { schema, ...(example === undefined ? {} : { example }) } } };
}

const ALLOW_HEADER = { description: 'Methods the path supports.', schema: { type: 'string' } };

function optionsOperation(id: string, allow: string): OpenApiOperation {
  return {
    operationId: `${id}Options`,
    summary: `Methods allowed on this path (${allow})`,
    tags: ['meta'],
    responses: { '204': { description: 'No content; the Allow header lists the methods.', headers: { Allow: ALLOW_HEADER } } },
  };
}

const internalError = errorResponse('The dependency behind this route threw: a bug or a broken process.', ['INTERNAL']);

/**
 * Contract schemas shown as components, keyed by their component name. Where one of them is
 * part of another (Score inside a segment result, ...), the document shows a `$ref` instead of
 * a copy: the code composes the schemas by reference, and `linkComponents` turns each shared
 * object back into a reference.
 */
const CONTRACT_SCHEMAS: Readonly<Record<string, object>> = {
  HealthReport: healthReportSchema,
  Readiness: readinessReportSchema,
  CallSegment: callSegmentSchema,
  Score: scoreSchema,
  SegmentResult: segmentResultSchema,
  SpeakerResult: speakerResultSchema,
  Trajectory: trajectorySchema,
  TextsAnalysis: textsAnalysisSchema,
  TranscriptAnalysis: transcriptAnalysisSchema,
};

/** A JSON copy of `value` in which every nested contract schema is a `$ref` to its component. */
function linkComponents(value: unknown, byObject: ReadonlyMap<object, string>, top = true): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const name = top ? undefined : byObject.get(value);
  if (name !== undefined) return ref(name);
  if (Array.isArray(value)) return value.map((v: unknown) => linkComponents(v, byObject, false));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, linkComponents(v, byObject, false)]));
}

function contractComponents(): Record<string, JsonSchema> {
  const byObject = new Map<object, string>(Object.entries(CONTRACT_SCHEMAS).map(([name, schema]) => [schema, name]));
  return Object.fromEntries(Object.entries(CONTRACT_SCHEMAS).map(([name, schema]) => [name, linkComponents(schema, byObject) as JsonSchema]));
}

function schemas(limits: AnalyzeLimits): Record<string, JsonSchema> {
  const text = {
    type: 'string',
    maxLength: limits.maxTextChars,
    pattern: '\\S',
    description: `Non-blank, at most ${limits.maxTextChars} Unicode characters, well-formed (no unpaired surrogates).`,
  };
  return {
    Error: errorSchema([...new Set<ErrorCode>([
      ...BAD_REQUEST_CODES, ...PAYLOAD_TOO_LARGE_CODES, ...UNAVAILABLE_CODES,
      'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'REQUEST_TIMEOUT', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'HEADERS_TOO_LARGE', 'INTERNAL',
    ])]),
    ServiceInfo: {
      type: 'object',
      required: ['name', 'version', 'links'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        links: {
          type: 'object',
          required: ['health', 'ready', 'metrics', 'openapi', 'analyze'],
          additionalProperties: { type: 'string' },
          properties: {
            health: { const: '/health' },
            ready: { const: '/ready' },
            metrics: { const: '/metrics' },
            openapi: { const: '/openapi.json' },
            analyze: { const: '/analyze' },
          },
        },
      },
    },
    ...contractComponents(),
    TextRequest: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: { text },
    },
    TextsRequest: {
      type: 'object',
      required: ['texts'],
      additionalProperties: false,
      properties: { texts: { type: 'array', minItems: 1, maxItems: limits.maxBatchTexts, items: text } },
    },
    Segment: {
      description: 'A calls.transcribed segment, no other fields, text within the request limit.',
      allOf: [ref('CallSegment')],
      unevaluatedProperties: false,
      properties: {
        text: { maxLength: limits.maxTextChars, description: 'May be blank (skipped) as long as one segment is not.' },
      },
    },
    SegmentsRequest: {
      type: 'object',
      required: ['segments'],
      additionalProperties: false,
      properties: {
        segments: {
          type: 'array',
          minItems: 1,
          maxItems: limits.maxSegments,
          items: ref('Segment'),
          contains: { type: 'object', required: ['text'], properties: { text: { type: 'string', pattern: '\\S' } } },
        },
      },
    },
    AnalyzeRequest: {
      description: 'Exactly one of `text`, `texts`, `segments`; any other field is rejected (400 SCHEMA_VIOLATION).',
      oneOf: [ref('TextRequest'), ref('TextsRequest'), ref('SegmentsRequest')],
    },
    AnalyzeResponse: { anyOf: [ref('TextsAnalysis'), ref('TranscriptAnalysis')] },
  };
}

export function buildOpenApiDocument(options: OpenApiBuildOptions = {}): OpenApiDocument {
  const limits: AnalyzeLimits = { ...DEFAULT_ANALYZE_LIMITS, ...options.limits };
  const service = options.service ?? { name: 'sentiment-worker', version: '0.1.0' };
  const getOnly = 'GET, HEAD, OPTIONS';
  return {
    openapi: '3.1.0',
    info: {
      title: `${service.name} HTTP API`,
      version: service.version,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'Health, readiness and metrics of the Kafka sentiment worker, plus on-demand sentiment analysis.',
        'Every error is JSON `{"error": {"code", "message"}}`.',
        'On any path: a method the path does not support answers 405 METHOD_NOT_ALLOWED with an Allow header',
        '(components/responses/MethodNotAllowed); an unknown path answers 404 NOT_FOUND (components/responses/NotFound);',
        'a malformed HTTP request 400 BAD_REQUEST, headers over the server limit 431 HEADERS_TOO_LARGE and a request',
        'not received within the request timeout 408 REQUEST_TIMEOUT (components/responses/ProtocolError), each closing the connection.',
        `Limits: body ${limits.maxBodyBytes} bytes, ${limits.maxBatchTexts} texts, ${limits.maxSegments} segments,`,
        `${limits.maxTextChars} characters per text, JSON nesting ${limits.maxJsonDepth} levels. See docs/api.md.`,
      ].join(' '),
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths: {
      '/': {
        get: {
          operationId: 'getServiceInfo',
          summary: 'Service name, version and links to the other routes',
          tags: ['meta'],
          responses: {
            '200': jsonResponse('Service information.', ref('ServiceInfo')),
          },
        },
        options: optionsOperation('root', getOnly),
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Liveness',
          description:
            'Is the process alive? `ok` and `degraded` (e.g. VADER fallback active, Kafka reconnecting) answer 200: restarting would not help. `fatal` (e.g. the consumer crashed and will not restart) answers 503 so a liveness probe restarts the process.',
          tags: ['probes'],
          responses: {
            '200': jsonResponse('Alive: status ok or degraded.', {
              allOf: [ref('HealthReport')],
              properties: { status: { enum: ['ok', 'degraded'] } },
            }),
            '503': jsonResponse('Alive but broken beyond self-repair: status fatal.', {
              allOf: [ref('HealthReport')],
              properties: { status: { const: 'fatal' } },
            }),
            '500': internalError,
          },
        },
        options: optionsOperation('health', getOnly),
      },
      '/ready': {
        get: {
          operationId: 'getReadiness',
          summary: 'Readiness',
          description: 'Should traffic be routed here? 503 with reasons while starting, while Kafka is not joined, or while shutting down.',
          tags: ['probes'],
          responses: {
            '200': jsonResponse('Ready.', { allOf: [ref('Readiness')], properties: { ready: { const: true } } }, { ready: true, reasons: [] }),
            '503': jsonResponse('Not ready; `reasons` says why.', { allOf: [ref('Readiness')], properties: { ready: { const: false } } }, {
              ready: false,
              reasons: ['kafka consumer has not joined its group'],
            }),
            '500': internalError,
          },
        },
        options: optionsOperation('ready', getOnly),
      },
      '/metrics': {
        get: {
          operationId: 'getMetrics',
          summary: 'Prometheus metrics',
          description: 'Text exposition format 0.0.4 (`text/plain; version=0.0.4; charset=utf-8`).',
          tags: ['probes'],
          responses: {
            '200': { description: 'Metrics.', content: { [METRICS_TYPE]: { schema: { type: 'string' } } } },
            '500': internalError,
          },
        },
        options: optionsOperation('metrics', getOnly),
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          tags: ['meta'],
          responses: {
            '200': jsonResponse('OpenAPI 3.1 document.', { type: 'object', required: ['openapi', 'info', 'paths'] }),
          },
        },
        options: optionsOperation('openapi', getOnly),
      },
      '/analyze': {
        post: {
          operationId: 'analyze',
          summary: 'Score the sentiment of texts or of a transcript',
          tags: ['analysis'],
          description:
            '`{"text": "..."}` or `{"texts": [...]}` answers `{"results": [Score, ...]}`; `{"segments": [...]}` answers the same shape as a result on calls.sentiment. Rate-limited per client address when enabled (RateLimit and RateLimit-Policy headers).',
          requestBody: {
            required: true,
            description: `Content-Type application/json (charset utf-8 if given), uncompressed, at most ${limits.maxBodyBytes} bytes of UTF-8.`,
            content: { [JSON_TYPE]: { schema: ref('AnalyzeRequest'), example: { text: 'I love this' } } },
          },
          responses: {
            '200': jsonResponse('Scores.', ref('AnalyzeResponse'), {
              results: [
                {
                  label: 'positive',
                  scores: { negative: 0.01, neutral: 0.03, positive: 0.96 },
                  confidence: 0.96,
                  low_confidence: false,
                  model: 'roberta-onnx',
                },
              ],
            }),
            '400': errorResponse(
              'Invalid body: INVALID_JSON (syntax), INVALID_UTF8 (bytes or unpaired surrogates), EMPTY_MESSAGE, NESTING_TOO_DEEP, NO_TEXT (nothing to analyse: missing, blank or empty list), SCHEMA_VIOLATION (wrong type, several or unknown fields), BAD_REQUEST (body not received completely).',
              BAD_REQUEST_CODES,
            ),
            '408': errorResponse('The request (headers and body) was not received within the request timeout; the connection is closed.', ['REQUEST_TIMEOUT']),
            '413': errorResponse(
              `PAYLOAD_TOO_LARGE: body over ${limits.maxBodyBytes} bytes; BATCH_TOO_LARGE: over ${limits.maxBatchTexts} texts or ${limits.maxSegments} segments; TEXT_TOO_LONG: a text over ${limits.maxTextChars} characters.`,
              PAYLOAD_TOO_LARGE_CODES,
            ),
            '415': errorResponse('Content-Type is not application/json, the charset is not utf-8, or the body is compressed.', [
              'UNSUPPORTED_MEDIA_TYPE',
            ]),
            '429': errorResponse('Too many requests from this client in the current window.', ['RATE_LIMITED'], {
              'Retry-After': { description: 'Seconds until the window resets.', schema: { type: 'integer', minimum: 0 } },
            }),
            '503': errorResponse('The scorer failed or timed out; retry later.', UNAVAILABLE_CODES),
          },
        },
        options: optionsOperation('analyze', 'POST, OPTIONS'),
      },
    },
    components: {
      schemas: schemas(limits),
      responses: {
        NotFound: errorResponse('No route has this path.', ['NOT_FOUND']),
        MethodNotAllowed: errorResponse('The path exists but not with this method.', ['METHOD_NOT_ALLOWED'], { Allow: ALLOW_HEADER }),
        ProtocolError: errorResponse('Malformed HTTP (400), headers too large (431) or request timeout (408); the connection is closed.', [
          'BAD_REQUEST',
          'HEADERS_TOO_LARGE',
          'REQUEST_TIMEOUT',
        ]),
      },
    },
  };
}

/** The document with default limits (what docs/openapi.json holds). */
export const openApiDocument: OpenApiDocument = buildOpenApiDocument();
