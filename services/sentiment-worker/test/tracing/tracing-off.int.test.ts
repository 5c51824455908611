import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { produceJson, testBootstrap } from '@sentiment/testing';
import { createTestTopics, workerEnv } from '../helpers/worker-harness';

jest.setTimeout(120_000);

/**
 * Runs a worker in a child process (jest's own module registry would hide what Node loads), lets
 * it process `events`, and reports which modules of the optional features it loaded.
 */
function loadedModulesOfWorker(env: NodeJS.ProcessEnv): Promise<{ otel: number; registry: number; results: number }> {
  const dist = path.resolve(__dirname, '..', '..', 'src');
  const script = `
    const { loadConfig } = require(${JSON.stringify(path.join(dist, 'config.js'))});
    const { startSentimentWorker } = require(${JSON.stringify(path.join(dist, 'sentiment-worker.js'))});
    const { silentLogger } = require('@sentiment/observability');
    (async () => {
      const worker = await startSentimentWorker(loadConfig(process.env), silentLogger);
      const deadline = Date.now() + 60000;
      let results = 0;
      while (Date.now() < deadline) {
        const text = await (await fetch('http://127.0.0.1:' + worker.port + '/metrics')).text();
        const m = /sentiment_messages_processed_total\\{[^}]*outcome="result"[^}]*\\} (\\d+)/.exec(text);
        results = m ? Number(m[1]) : 0;
        if (results >= 3) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const loaded = Object.keys(require.cache);
      await worker.stop();
      process.stdout.write(JSON.stringify({
        // @opentelemetry/api is loaded anyway: prom-client requires it (exemplars); the SDK is what costs.
        otel: loaded.filter((p) => p.includes('@opentelemetry') && !p.includes('@opentelemetry/api/')).length,
        registry: loaded.filter((p) => p.includes('confluent-schema-registry') || p.includes('/avsc/')).length,
        results,
      }));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, cwd: path.resolve(__dirname, '..', '..', '..', '..', '..') });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { otel: number; registry: number; results: number }) : reject(new Error(`worker child exited ${code}: ${err}`))));
  });
}

describe('optional features cost nothing when off', () => {
  it('when neither an OTLP endpoint nor a Schema Registry is configured, then the worker processes events without loading the OpenTelemetry SDK (only the API, which prom-client loads anyway) or the registry library', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 1);
    await produceJson(bootstrap, topics.input, Array.from({ length: 3 }, (_, i) => ({ key: `k-${i}`, value: { call_id: `k-${i}`, text: 'all good' } })));
    const off = await loadedModulesOfWorker(workerEnv(bootstrap, topics));
    expect(off).toEqual({ otel: 0, registry: 0, results: 3 });
  });

  it('when an OTLP endpoint is configured, then the same check sees the SDK loaded (the check can fail)', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 1);
    await produceJson(bootstrap, topics.input, Array.from({ length: 3 }, (_, i) => ({ key: `k-${i}`, value: { call_id: `k-${i}`, text: 'all good' } })));
    const on = await loadedModulesOfWorker(workerEnv(bootstrap, topics, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '200' }));
    expect(on.otel).toBeGreaterThan(0);
    expect(on.results).toBe(3);
  });
});
