import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const analyze = (s: TestServer, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${s.url}/analyze`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"text":"hello"}' });

describe('rate limit on POST /analyze', () => {
  it('when a client exceeds rateLimitMax in the window, then it gets 429 RATE_LIMITED with Retry-After', async () => {
    server = await startTestServer({ app: { rateLimitMax: 3, rateLimitWindowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await analyze(server)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await analyze(server);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-policy')).toContain('3');
    expect(await limited.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('retry') } });
    expect(server.state.analyzeCalls).toHaveLength(3);
  });

  it('when /analyze is limited, then /health, /ready and /metrics still answer', async () => {
    server = await startTestServer({ app: { rateLimitMax: 1, rateLimitWindowMs: 60_000 } });
    await analyze(server);
    expect((await analyze(server)).status).toBe(429);
    for (const path of ['/health', '/ready', '/metrics', '/']) expect((await fetch(server.url + path)).status).toBe(200);
  });

  it('when the window passes, then the client is allowed again', async () => {
    server = await startTestServer({ app: { rateLimitMax: 1, rateLimitWindowMs: 1_000 } });
    expect((await analyze(server)).status).toBe(200);
    expect((await analyze(server)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await analyze(server)).status).toBe(200);
  });

  it('when rateLimitMax is 0, then the limit is off', async () => {
    server = await startTestServer({ app: { rateLimitMax: 0, rateLimitWindowMs: 60_000 } });
    for (let i = 0; i < 30; i++) expect((await analyze(server)).status).toBe(200);
  });

  it('when trust proxy is on, then clients behind the proxy are told apart by X-Forwarded-For', async () => {
    server = await startTestServer({ app: { rateLimitMax: 1, rateLimitWindowMs: 60_000, trustProxy: 1 } });
    expect((await analyze(server, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await analyze(server, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    expect((await analyze(server, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
  });

  it('when trust proxy is off, then X-Forwarded-For cannot be used to dodge the limit', async () => {
    server = await startTestServer({ app: { rateLimitMax: 1, rateLimitWindowMs: 60_000, trustProxy: false } });
    expect((await analyze(server, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await analyze(server, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
  });
});
