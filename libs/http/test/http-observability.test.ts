import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { ConfigError } from '@sentiment/errors';
import { createHttpApp, resolveHttpAppOptions } from '@sentiment/http';
import { fakeDeps } from './support/fake-deps';
import { startTestServer } from './support/test-server';

const post = (url: string, body: string): Promise<Response> =>
  fetch(`${url}/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function counter(registry: Registry, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'http_requests_total');
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
}

describe('HTTP metrics', () => {
  it('when requests are answered, then they are counted and timed by method, route template and status', async () => {
    const server = await startTestServer();
    try {
      await post(server.url, '{"text":"good"}');
      await post(server.url, '{"text":1}');
      await fetch(`${server.url}/health`);
      expect(await counter(server.registry, { method: 'POST', route: '/analyze', status: '200' })).toBe(1);
      expect(await counter(server.registry, { method: 'POST', route: '/analyze', status: '400' })).toBe(1);
      expect(await counter(server.registry, { method: 'GET', route: '/health', status: '200' })).toBe(1);
      const text = await server.registry.metrics();
      expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/analyze",status="200"\} 1/);
    } finally {
      await server.close();
    }
  });

  it('when random paths are requested, then they share one "unmatched" route label', async () => {
    const server = await startTestServer();
    try {
      for (let i = 0; i < 5; i++) await fetch(`${server.url}/random-${i}`);
      expect(await counter(server.registry, { route: 'unmatched', status: '404' })).toBe(5);
      expect(await server.registry.metrics()).not.toContain('random-');
    } finally {
      await server.close();
    }
  });

  it('when two apps are created on one registry, then the second reuses the metrics instead of throwing', async () => {
    const registry = new Registry();
    const a = await startTestServer({ registry });
    const b = await startTestServer({ registry });
    try {
      await fetch(`${a.url}/health`);
      await fetch(`${b.url}/health`);
      expect(await counter(registry, { route: '/health', status: '200' })).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('when /metrics is fetched, then it carries the Prometheus text content type', async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.headers.get('content-type')).toBe(server.registry.contentType);
      expect(await res.text()).toContain('# TYPE http_requests_total counter');
    } finally {
      await server.close();
    }
  });
});

describe('access log', () => {
  it('when requests are answered, then each gets one debug line with method, path, status and ms, and no body or query', async () => {
    const server = await startTestServer();
    try {
      await post(server.url, '{"text":"my secret complaint"}');
      await fetch(`${server.url}/health?token=abc123`);
      await new Promise((r) => setTimeout(r, 50));
      const lines = server.logs.filter((l) => l.message === 'http request');
      expect(lines).toHaveLength(2);
      expect(lines[0]?.level).toBe('debug');
      expect(lines[0]?.meta).toEqual({ method: 'POST', path: '/analyze', route: '/analyze', status: 200, ms: expect.any(Number) });
      expect(lines[1]?.meta).toMatchObject({ method: 'GET', path: '/health', status: 200 });
      const all = JSON.stringify(server.logs);
      expect(all).not.toContain('secret');
      expect(all).not.toContain('abc123');
    } finally {
      await server.close();
    }
  });

  it('when analyze fails, then a warning is logged and the client sees no internals', async () => {
    const server = await startTestServer();
    try {
      server.state.analyze = () => Promise.reject(new Error('ENOENT /models/secret.onnx'));
      const res = await post(server.url, '{"text":"x"}');
      expect(res.status).toBe(503);
      expect(await res.text()).not.toContain('secret.onnx');
      expect(server.logs.some((l) => l.level === 'warn' && l.message === 'analyze failed')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('when a probe throws, then the 500 is logged as an error', async () => {
    const server = await startTestServer();
    try {
      server.state.healthThrows = true;
      expect((await fetch(`${server.url}/health`)).status).toBe(500);
      expect(server.logs.some((l) => l.level === 'error' && l.message === 'http handler failed')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('options', () => {
  it('when nothing is given, then the documented defaults apply', () => {
    expect(resolveHttpAppOptions()).toEqual({
      maxBodyBytes: 1_048_576,
      maxBatchTexts: 100,
      maxSegments: 2_000,
      maxTextChars: 100_000,
      maxJsonDepth: 8,
      rateLimitWindowMs: 60_000,
      rateLimitMax: 600,
      trustProxy: false,
      analyzeTimeoutMs: 30_000,
    });
  });

  it.each([
    ['maxBodyBytes', -1],
    ['maxTextChars', 0],
    ['maxBatchTexts', 1.5],
    ['rateLimitMax', -1],
    ['maxJsonDepth', 2],
    ['analyzeTimeoutMs', Number.NaN],
  ])('when %s is %p, then creating the app throws a ConfigError', (name, value) => {
    const { deps } = fakeDeps();
    expect(() => createHttpApp({ ...deps, options: { [name]: value } })).toThrow(ConfigError);
  });
});
