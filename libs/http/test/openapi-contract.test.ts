import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import { openApiDocument, type OpenApiDocument } from '@sentiment/http';
import { fakeAnalyze, healthReport } from './support/fake-deps';
import { describeErrors, OpenApiValidator } from '@sentiment/testing';
import { rawExchange, trickleRequest, type RawResponse } from './support/raw-http';
import { startTestServer, type TestServer } from './support/test-server';

/*
 * Every (path, method, status) that /openapi.json documents is produced here by a real request
 * and checked against the document: status, media type, documented headers, body schema.
 */

interface Observed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let main: TestServer;
let strict: TestServer;
let doc: OpenApiDocument;
let validator: OpenApiValidator;

async function call(server: TestServer, path: string, init: RequestInit = {}): Promise<Observed> {
  const res = await fetch(server.url + path, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

function fromRaw(raw: RawResponse | undefined): Observed {
  if (!raw) throw new Error('no HTTP response came back');
  return raw;
}

const json = (body: string | Buffer, contentType = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': contentType },
  body,
});

const analyze = (body: string | Buffer, contentType?: string) => (): Promise<Observed> => call(main, '/analyze', json(body, contentType));

const paths = ['/', '/health', '/ready', '/metrics', '/openapi.json', '/analyze'];

const scenarios: Record<string, Array<[string, () => Promise<Observed>]>> = {
  'get / 200': [['service info', () => call(main, '/')]],
  'get /health 200': [
    ['ok', () => call(main, '/health')],
    [
      'degraded',
      () => {
        main.state.health = healthReport('degraded');
        return call(main, '/health');
      },
    ],
  ],
  'get /health 503': [
    [
      'fatal',
      () => {
        main.state.health = healthReport('fatal');
        return call(main, '/health');
      },
    ],
  ],
  'get /health 500': [
    [
      'health() throws',
      () => {
        main.state.healthThrows = true;
        return call(main, '/health');
      },
    ],
  ],
  'get /ready 200': [['ready', () => call(main, '/ready')]],
  'get /ready 503': [
    [
      'not ready',
      () => {
        main.state.ready = { ready: false, reasons: ['kafka consumer has not joined its group'] };
        return call(main, '/ready');
      },
    ],
  ],
  'get /ready 500': [
    [
      'ready() throws',
      () => {
        main.state.readyThrows = true;
        return call(main, '/ready');
      },
    ],
  ],
  'get /metrics 200': [['metrics', () => call(main, '/metrics')]],
  'get /metrics 500': [
    [
      'a collector throws',
      () => {
        main.state.metricsThrow = true;
        return call(main, '/metrics');
      },
    ],
  ],
  'get /openapi.json 200': [['document', () => call(main, '/openapi.json')]],
  'post /analyze 200': [
    ['text', analyze('{"text":"I love this"}')],
    ['texts', analyze('{"texts":["I love this","I hate that"]}')],
    ['segments', analyze('{"segments":[{"speaker":"agent","text":"Hello","start_ms":0,"end_ms":900},{"speaker":"caller","text":"This is awful"}]}')],
    ['charset=utf-8 parameter', analyze('{"text":"ok"}', 'application/json; charset=UTF-8')],
  ],
  'post /analyze 400': [
    ['INVALID_JSON', analyze('{"text": "unterminated')],
    ['INVALID_UTF8 bytes', analyze(Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))],
    ['INVALID_UTF8 lone surrogate', analyze('{"text":"\\ud800 alone"}')],
    ['EMPTY_MESSAGE', analyze('')],
    ['NESTING_TOO_DEEP', analyze('['.repeat(60_000))],
    ['SCHEMA_VIOLATION', analyze('{"text": 42}')],
    ['NO_TEXT', analyze('{"text": "   "}')],
    [
      'BAD_REQUEST (body cut short)',
      async () =>
        fromRaw(
          await rawExchange(
            main.port,
            'POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"text":',
          ),
        ),
    ],
  ],
  'post /analyze 408': [
    [
      'body trickled slower than the request timeout',
      async () => {
        const result = await trickleRequest(
          strict.port,
          'POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
          { intervalMs: 50, giveUpMs: 10_000, bodyByte: ' ' },
        );
        return fromRaw(result.response);
      },
    ],
  ],
  'post /analyze 413': [
    ['PAYLOAD_TOO_LARGE', analyze(JSON.stringify({ text: 'a'.repeat(70_000) }))],
    ['BATCH_TOO_LARGE', analyze(JSON.stringify({ texts: Array.from({ length: 9 }, () => 'x') }))],
    ['TEXT_TOO_LONG', analyze(JSON.stringify({ text: 'a'.repeat(1_001) }))],
  ],
  'post /analyze 415': [
    ['text/plain', analyze('{"text":"x"}', 'text/plain')],
    ['no content-type', () => call(main, '/analyze', { method: 'POST', body: new Uint8Array(Buffer.from('{"text":"x"}')) })],
    ['latin-1 charset', analyze('{"text":"x"}', 'application/json; charset=iso-8859-1')],
    [
      'gzip',
      () => call(main, '/analyze', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"text":"x"}' }),
    ],
  ],
  'post /analyze 429': [
    [
      'third request in the window',
      async () => {
        await call(strict, '/analyze', json('{"text":"one"}'));
        await call(strict, '/analyze', json('{"text":"two"}'));
        return call(strict, '/analyze', json('{"text":"three"}'));
      },
    ],
  ],
  'post /analyze 503': [
    [
      'SCORING_FAILED',
      () => {
        main.state.analyze = () => Promise.reject(new Error('boom /secret/path'));
        return call(main, '/analyze', json('{"text":"x"}'));
      },
    ],
    [
      'MODEL_CIRCUIT_OPEN',
      () => {
        main.state.analyze = () => Promise.reject(new ModelError('MODEL_CIRCUIT_OPEN', 'breaker open'));
        return call(main, '/analyze', json('{"text":"x"}'));
      },
    ],
    [
      'MODEL_TIMEOUT',
      () => {
        main.state.analyze = () => new Promise(() => undefined);
        return call(main, '/analyze', json('{"text":"x"}'));
      },
    ],
  ],
};
for (const path of paths) {
  scenarios[`options ${path} 204`] = [['OPTIONS', () => call(main, path, { method: 'OPTIONS' })]];
}

function resetState(server: TestServer): void {
  server.state.health = healthReport('ok');
  server.state.ready = { ready: true, reasons: [] };
  server.state.healthThrows = false;
  server.state.readyThrows = false;
  server.state.metricsThrow = false;
  server.state.analyze = fakeAnalyze;
}

function mediaEssence(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

beforeAll(async () => {
  const limits = { maxBodyBytes: 65_536, maxBatchTexts: 8, maxTextChars: 1_000, analyzeTimeoutMs: 1_000 };
  main = await startTestServer({ app: limits });
  strict = await startTestServer({ app: { ...limits, rateLimitMax: 2, rateLimitWindowMs: 60_000 }, server: { requestTimeoutMs: 600, headersTimeoutMs: 400 } });
  doc = (await (await fetch(`${main.url}/openapi.json`)).json()) as OpenApiDocument;
  validator = new OpenApiValidator(doc, { closed: true });
});

afterAll(async () => {
  await Promise.all([main.close(), strict.close()]);
});

describe('OpenAPI document', () => {
  it('when listing documented responses, then every one has a scenario below and no scenario is undocumented', () => {
    expect(Object.keys(scenarios).sort()).toEqual(validator.documentedResponses());
  });

  it('when served, then it is OpenAPI 3.1 with the limits the app was given', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9-test');
    const texts = (doc.components.schemas['TextsRequest'] as { properties: { texts: { maxItems: number } } }).properties.texts;
    expect(texts.maxItems).toBe(8);
  });

  it('when built with default limits, then every schema in it compiles', () => {
    const v = new OpenApiValidator(openApiDocument);
    for (const name of Object.keys(openApiDocument.components.schemas)) expect(() => v.schemaValidator(name)).not.toThrow();
  });
});

describe.each(Object.keys(scenarios).sort())('%s', (key) => {
  const [method, path, statusText] = key.split(' ') as [string, string, string];
  it.each(scenarios[key] ?? [])('when %s, then the answer matches the document', async (_name, run) => {
    resetState(main);
    let observed: Observed;
    try {
      observed = await run();
    } finally {
      resetState(main);
    }
    expect(observed.status).toBe(Number(statusText));
    const response = doc.paths[path]?.[method as 'get']?.responses[statusText];
    expect(response).toBeDefined();
    for (const header of Object.keys(response?.headers ?? {})) expect(observed.headers[header.toLowerCase()]).toBeDefined();
    const content = response?.content;
    if (!content) {
      expect(observed.body).toBe('');
      return;
    }
    const essence = mediaEssence(observed.headers['content-type']);
    expect(Object.keys(content)).toContain(essence);
    const validate = validator.responseValidator(path, method, statusText, essence as string);
    const body: unknown = essence === 'application/json' ? JSON.parse(observed.body) : observed.body;
    if (!validate(body)) throw new Error(`${key}: body does not match the documented schema: ${describeErrors(validate)}\n${observed.body.slice(0, 500)}`);
  });
});

describe('responses documented for any path', () => {
  it('when the path is unknown, then 404 matches components/responses/NotFound', async () => {
    const observed = await call(main, '/no/such/route?x=1');
    expect(observed.status).toBe(404);
    const validate = validator.componentResponseValidator('NotFound');
    expect(validate(JSON.parse(observed.body))).toBe(true);
  });

  it.each([
    ['post', '/health', 'GET, HEAD, OPTIONS'],
    ['delete', '/', 'GET, HEAD, OPTIONS'],
    ['put', '/metrics', 'GET, HEAD, OPTIONS'],
    ['get', '/analyze', 'POST, OPTIONS'],
    ['patch', '/openapi.json', 'GET, HEAD, OPTIONS'],
  ])('when %s %s, then 405 with Allow: %s matches components/responses/MethodNotAllowed', async (method, path, allow) => {
    const observed = await call(main, path, { method: method.toUpperCase() });
    expect(observed.status).toBe(405);
    expect(observed.headers['allow']).toBe(allow);
    const validate = validator.componentResponseValidator('MethodNotAllowed');
    expect(validate(JSON.parse(observed.body))).toBe(true);
  });

  it.each([
    { name: 'a malformed request line', bytes: 'GARBAGE\r\n\r\n', status: 400 },
    { name: 'headers over the limit', bytes: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431 },
  ])('when $name, then $status JSON matches components/responses/ProtocolError', async ({ bytes, status }) => {
    const observed = fromRaw(await rawExchange(main.port, bytes));
    expect(observed.status).toBe(status);
    expect(mediaEssence(observed.headers['content-type'])).toBe('application/json');
    const validate = validator.componentResponseValidator('ProtocolError');
    expect(validate(JSON.parse(observed.body))).toBe(true);
  });

  it('when HEAD is sent to a GET route, then it answers 200 with no body', async () => {
    const observed = await call(main, '/health', { method: 'HEAD' });
    expect(observed.status).toBe(200);
    expect(observed.body).toBe('');
  });
});
