import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateFuzzCase, type FuzzCase } from './support/fuzz-cases';
import { fuzzSeed, Prng } from './support/prng';
import { rawExchange } from './support/raw-http';
import { startTestServer, type TestServer } from './support/test-server';

/*
 * Thousands of random and malformed requests against a real server: every answer must be
 * 2xx for a valid body and otherwise 4xx with a JSON error, never 5xx, and the server must
 * still be healthy afterwards. Bounded by count and by time (the machine is shared).
 */

const CASES = 3_000;
const RAW_CASES = 300;
const TIME_BUDGET_MS = 60_000;
const CONCURRENCY = 8;
const limits = { maxBodyBytes: 65_536, maxBatchTexts: 16, maxTextChars: 2_000 };

interface Outcome {
  c: FuzzCase;
  status: number;
  contentType: string | undefined;
  body: string;
}

let server: TestServer;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(port: number, c: FuzzCase): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body) headers['content-length'] = c.body.length;
    const req = http.request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ c, status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err) => reject(new Error(`${c.category}: transport error ${err.message}`)));
    req.end(c.body);
  });
}

function checkErrorBody(o: Outcome): string | undefined {
  if (!o.contentType?.startsWith('application/json')) return `content-type ${String(o.contentType)}`;
  try {
    const parsed = JSON.parse(o.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string') return 'no error.code/message';
  } catch {
    return 'body is not JSON';
  }
  return undefined;
}

beforeAll(async () => {
  server = await startTestServer({ app: limits });
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

describe('POST /analyze under fuzzing', () => {
  it(`when ${CASES} random and malformed requests are sent, then none is answered 5xx and every rejection is a JSON 4xx`, async () => {
    const seed = fuzzSeed();
    const rng = new Prng(seed);
    const cases = Array.from({ length: CASES }, () => generateFuzzCase(rng, limits));
    const deadline = Date.now() + TIME_BUDGET_MS;
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length && Date.now() < deadline) {
          const c = cases[next++] as FuzzCase;
          try {
            outcomes.push(await send(server.port, c));
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }),
    );
    const elapsed = Date.now() - started;

    for (const o of outcomes) {
      const where = `${o.c.category} ${o.c.method} ${o.c.path.slice(0, 40)} -> ${o.status} ${o.body.slice(0, 120)}`;
      if (o.status >= 500 || o.status < 200) failures.push(`5xx/odd status: ${where}`);
      else if (o.c.valid === true && o.status !== 200) failures.push(`valid request rejected: ${where}`);
      else if (o.c.valid === false && (o.status < 400 || o.status >= 500)) failures.push(`malformed request accepted: ${where}`);
      if (o.status >= 400) {
        const problem = checkErrorBody(o);
        if (problem) failures.push(`${problem}: ${where}`);
      }
    }
    const byCategory = new Map<string, Map<number, number>>();
    for (const o of outcomes) {
      const m = byCategory.get(o.c.category) ?? new Map<number, number>();
      m.set(o.status, (m.get(o.status) ?? 0) + 1);
      byCategory.set(o.c.category, m);
    }
    const table = [...byCategory.entries()]
      .sort()
      .map(([cat, m]) => `  ${cat}: ${[...m.entries()].sort().map(([s, n]) => `${s}x${n}`).join(' ')}`)
      .join('\n');
    console.log(`fuzz seed ${seed}: ${outcomes.length} requests in ${elapsed} ms (${Math.round((outcomes.length * 1000) / elapsed)}/s)\n${table}`);

    expect(failures.slice(0, 20)).toEqual([]);
    // The time budget must not hollow the test out.
    expect(outcomes.length).toBeGreaterThanOrEqual(Math.min(CASES, 1_000));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it(`when ${RAW_CASES} malformed HTTP messages are written to raw sockets, then any answer is a JSON 4xx`, async () => {
    const rng = new Prng(fuzzSeed() + 1);
    const heads = [
      () => rng.bytes(1 + rng.int(300)),
      () => Buffer.from(`POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Length: ${rng.pick(['-1', 'abc', '1e3', '99999999999999999999', '5, 6'])}\r\n\r\n{}`),
      () => Buffer.from('POST /analyze HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
      () => Buffer.from(`GET /${'\u0000'} HTTP/1.1\r\nHost: x\r\n\r\n`),
      () => Buffer.from(`GET / HTTP/1.1\r\n${'X: y\r\n'.repeat(3_000)}\r\n`),
      () => Buffer.concat([Buffer.from('POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n'), rng.bytes(4)]),
      () => Buffer.from('GET / HTTP/9.9\r\n\r\n'),
      () => Buffer.from('POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}'),
    ];
    const failures: string[] = [];
    let answered = 0;
    for (let i = 0; i < RAW_CASES; i++) {
      const bytes = rng.pick(heads)();
      const res = await rawExchange(server.port, bytes, 3_000);
      if (!res) continue; // a socket closed without an answer is acceptable for garbage
      answered++;
      if (res.status >= 500) failures.push(`${res.status} for ${JSON.stringify(bytes.toString('latin1').slice(0, 80))}`);
      if (res.status >= 400) {
        const problem = checkErrorBody({ c: {} as FuzzCase, status: res.status, contentType: res.headers['content-type'], body: res.body });
        if (problem) failures.push(`${problem} for ${JSON.stringify(bytes.toString('latin1').slice(0, 80))}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(answered).toBeGreaterThan(RAW_CASES / 2);
  });

  it('when the fuzzing is over, then /health answers 200 and no request was counted as 5xx', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*status="4\d\d"/);
    expect(metrics).not.toMatch(/http_requests_total\{[^}]*status="5\d\d"/);
  });
});
