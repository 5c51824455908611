import http from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sentiment/errors';
import { startHttpServer } from '@sentiment/http';
import { startTestServer } from './support/test-server';

function get(port: number, path: string, agent: http.Agent | false): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, method: path === '/analyze' ? 'POST' : 'GET', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket as Socket }));
    });
    req.on('error', reject);
    req.end(path === '/analyze' ? '{"text":"hi"}' : undefined);
  });
}

describe('startHttpServer', () => {
  it('when started on port 0, then it reports the real port and serves on it', async () => {
    const server = await startTestServer();
    try {
      expect(server.port).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('when close is called twice, then both calls share one promise and new connections are refused', async () => {
    const server = await startTestServer();
    const first = server.running.close();
    const second = server.running.close();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await expect(server.running.close()).resolves.toBeUndefined();
  });

  it('when a keep-alive connection is idle, then close ends it at once instead of waiting for the keep-alive timeout', async () => {
    const server = await startTestServer({ server: { keepAliveTimeoutMs: 60_000 } });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const res = await get(server.port, '/health', agent);
      expect(res.headers['connection']).toBe('keep-alive');
      const socketClosed = new Promise<void>((resolve) => res.socket.once('close', () => resolve()));
      const started = Date.now();
      await server.close();
      await socketClosed;
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      agent.destroy();
    }
  });

  it('when a request is in flight, then close lets it finish and resolves once it is answered', async () => {
    const server = await startTestServer({ server: { keepAliveTimeoutMs: 60_000, shutdownTimeoutMs: 10_000 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = server.state.analyze;
    server.state.analyze = async (request) => {
      await gate;
      return original(request);
    };
    const agent = new http.Agent({ keepAlive: true });
    try {
      const inFlight = get(server.port, '/analyze', agent);
      while (server.state.analyzeCalls.length === 0) await new Promise((r) => setTimeout(r, 10));
      let closed = false;
      const closing = server.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(closed).toBe(false);
      release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      await closing;
      expect(closed).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('when a request outlives shutdownTimeoutMs, then close cuts the connection and still resolves', async () => {
    const server = await startTestServer({ server: { shutdownTimeoutMs: 300 } });
    server.state.analyze = () => new Promise(() => undefined);
    const inFlight = get(server.port, '/analyze', false).then(
      () => 'answered',
      () => 'cut',
    );
    while (server.state.analyzeCalls.length === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await inFlight).toBe('cut');
    expect(server.logs.some((l) => l.level === 'warn' && l.message.includes('deadline'))).toBe(true);
  });

  it('when the port is taken, then start rejects with EADDRINUSE', async () => {
    const server = await startTestServer();
    try {
      await expect(startHttpServer(() => undefined, { port: server.port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await server.close();
    }
  });

  it('when a timeout option is not a positive integer, then start throws a ConfigError', () => {
    expect(() => startHttpServer(() => undefined, { port: 0, requestTimeoutMs: 0 })).toThrow(ConfigError);
    expect(() => startHttpServer(() => undefined, { port: 0, keepAliveTimeoutMs: Number.NaN })).toThrow(ConfigError);
  });
});
