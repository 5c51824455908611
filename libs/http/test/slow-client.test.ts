import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trickleRequest } from './support/raw-http';
import { startTestServer, type TestServer } from './support/test-server';

/*
 * Slowloris: clients that trickle headers or a body must be cut off by the server's request
 * timeouts (408 and close) while everyone else is still served.
 */

const REQUEST_TIMEOUT_MS = 1_000;
const HEADERS_TIMEOUT_MS = 500;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ server: { requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: HEADERS_TIMEOUT_MS } });
});

afterAll(async () => {
  await server.close();
});

const BODY_HEAD = 'POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"text":"';

describe('slow clients', () => {
  it('when a client sends headers and then trickles the body, then it gets 408 REQUEST_TIMEOUT and the socket is closed', async () => {
    const result = await trickleRequest(server.port, BODY_HEAD, { intervalMs: 50, giveUpMs: 15_000 });
    expect(result.response?.status).toBe(408);
    expect(JSON.parse(result.response?.body ?? '{}')).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } });
    expect(result.response?.headers['connection']).toBe('close');
    // Cut off near the timeout, not after the client gave up (Node checks every headersTimeout/4).
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(result.closedAfterMs).toBeLessThan(10_000);
  });

  it('when a client trickles the headers themselves, then it is cut off with 408 after the headers timeout', async () => {
    const result = await trickleRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n', {
      intervalMs: 50,
      giveUpMs: 15_000,
      bodyByte: 'X',
    });
    expect(result.response?.status).toBe(408);
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(result.closedAfterMs).toBeLessThan(10_000);
  });

  it('when 20 slow clients hold connections, then other clients are still served and the server stays up after they are cut off', async () => {
    const slow = Array.from({ length: 20 }, () => trickleRequest(server.port, BODY_HEAD, { intervalMs: 100, giveUpMs: 15_000 }));
    const during = await fetch(`${server.url}/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"still here"}',
    });
    expect(during.status).toBe(200);
    const results = await Promise.all(slow);
    for (const r of results) expect(r.response === undefined || r.response.status === 408).toBe(true);
    expect(results.filter((r) => r.response?.status === 408).length).toBeGreaterThan(0);
    const after = await fetch(`${server.url}/health`);
    expect(after.status).toBe(200);
  });
});
