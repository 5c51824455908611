import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import { headerText, produceRaw, produceWithRegistrySerializer, startSchemaRegistry, testBootstrap, type SchemaRegistryServer } from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { callEvent } from './registry-events';

jest.setTimeout(240_000);

describe('Schema Registry over HTTPS, and schema types we do not read (Apicurio Registry)', () => {
  let registry: SchemaRegistryServer;
  const bootstrap = testBootstrap();

  beforeAll(async () => {
    registry = await startSchemaRegistry({ tls: true });
    process.stdout.write(`[registry tls test] Apicurio (HTTPS) started in ${registry.startupMs} ms\n`);
  });
  afterAll(async () => {
    await registry?.destroy();
  });

  it('when the registry serves HTTPS with a private CA, then the worker decodes with SCHEMA_REGISTRY_TLS_CA_FILE and refuses the registry without it', async () => {
    const topics = await createTestTopics(bootstrap, 1);
    await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro', caFile: registry.caFile as string }, [callEvent('tls', 0), callEvent('tls', 1)]);

    // Without the CA: the certificate is not trusted, the lookup fails like an unreachable registry.
    const untrusting = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_RETRIES: '0' }));
    try {
      const { deadLetters } = await waitForOutcomes(bootstrap, topics, 2);
      expect(deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason))).toEqual(['SCHEMA_REGISTRY_UNAVAILABLE', 'SCHEMA_REGISTRY_UNAVAILABLE']);
      expect(headerText(deadLetters[0]!, DeadLetterHeaders.message)).toMatch(/certificate|self.signed|verify/i);
    } finally {
      await untrusting.stop();
    }

    const other = await createTestTopics(bootstrap, 1);
    await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: other.input, format: 'json', caFile: registry.caFile as string }, [callEvent('tls', 0), callEvent('tls', 1)]);
    const trusting = await startTestWorker(workerEnv(bootstrap, other, { SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_TLS_CA_FILE: registry.caFile as string }));
    try {
      const { results, deadLetters } = await waitForOutcomes(bootstrap, other, 2);
      expect(deadLetters).toHaveLength(0);
      expect(results.map((r) => (JSON.parse(String(r.value)) as { call_id: string }).call_id).sort()).toEqual(['tls-0', 'tls-1']);
    } finally {
      await trusting.stop();
    }
  });

  it('when a value is framed with a Protobuf schema, then it is dead-lettered SCHEMA_UNSUPPORTED', async () => {
    const topics = await createTestTopics(bootstrap, 1);
    const { request } = await import('node:https');
    const body = JSON.stringify({ schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\nmessage CallTranscribed {\n  string call_id = 1;\n  string text = 2;\n}\n' });
    const registered = await new Promise<{ id: number }>((resolve, reject) => {
      const req = request(`${registry.url}/subjects/${topics.input}-value/versions`, { method: 'POST', ca: registry.caPem, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text) as { id: number }) : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
    const header = Buffer.alloc(5);
    header.writeInt32BE(registered.id, 1);
    // Message index [0], then call_id = "p-1", text = "hello".
    const payload = Buffer.from([0x00, 0x0a, 0x03, 0x70, 0x2d, 0x31, 0x12, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    await produceRaw(bootstrap, topics.input, [{ key: 'p-1', value: Buffer.concat([header, payload]) }]);
    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_TLS_CA_FILE: registry.caFile as string }));
    try {
      const { deadLetters } = await waitForOutcomes(bootstrap, topics, 1);
      expect(deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason))).toEqual(['SCHEMA_UNSUPPORTED']);
    } finally {
      await worker.stop();
    }
  });
});
