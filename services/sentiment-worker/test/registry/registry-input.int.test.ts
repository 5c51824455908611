import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import {
  consumeWithRegistryDeserializer,
  headerText,
  produceJson,
  produceRaw,
  produceWithRegistrySerializer,
  readTopicToEnd,
  startBasicAuthProxy,
  startSchemaRegistry,
  testBootstrap,
  type ReadMessage,
  type SchemaRegistryServer,
} from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitForOutcomes, waitForReady, workerEnv } from '../helpers/worker-harness';
import { callEvent, scoredPart } from './registry-events';

jest.setTimeout(240_000);

const byCallId = (messages: ReadMessage[]) =>
  new Map(messages.map((m) => {
    const value = JSON.parse(String(m.value)) as Record<string, unknown>;
    return [value['call_id'] as string, value];
  }));

/** Frames bytes as a registry serializer would: magic byte 0, schema id, payload. */
function framed(schemaId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

describe('Schema Registry framed input (Apicurio Registry, confluent-kafka serializers)', () => {
  let registry: SchemaRegistryServer;
  const bootstrap = testBootstrap();

  beforeAll(async () => {
    registry = await startSchemaRegistry({ log: (line) => process.stdout.write(`${line}\n`) });
    process.stdout.write(`[registry test] Apicurio started in ${registry.startupMs} ms\n`);
  });

  afterAll(async () => {
    await registry?.destroy();
  });

  it('when Avro and JSON Schema events from a foreign producer arrive among plain JSON ones (INPUT_FORMAT=auto), then each gets the result its plain-JSON twin gets', async () => {
    const topics = await createTestTopics(bootstrap, 3);
    const n = 8;
    // Two formats on one topic: each under its own subject (TopicRecordNameStrategy), as a registry requires.
    const avro = await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro', recordSubjects: true }, Array.from({ length: n }, (_, i) => callEvent('avro', i)));
    const json = await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'json', recordSubjects: true }, Array.from({ length: n }, (_, i) => callEvent('jsonschema', i)));
    await produceJson(bootstrap, topics.input, Array.from({ length: n }, (_, i) => ({ key: `plain-${i}`, value: callEvent('plain', i) })));
    expect(new Set(avro.map((r) => r.schemaId)).size).toBe(1);
    expect(new Set(json.map((r) => r.schemaId)).size).toBe(1);
    expect(avro[0]?.schemaId).not.toBe(json[0]?.schemaId);

    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url }));
    try {
      const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, 3 * n);
      expect(deadLetters.map((d) => `${headerText(d, DeadLetterHeaders.reason)}: ${headerText(d, DeadLetterHeaders.message)}`)).toEqual([]);
      const got = byCallId(results);
      expect(got.size).toBe(3 * n);
      for (let i = 0; i < n; i++) {
        const plain = scoredPart(got.get(`plain-${i}`) as Record<string, unknown>);
        expect(scoredPart(got.get(`avro-${i}`) as Record<string, unknown>)).toEqual(plain);
        expect(scoredPart(got.get(`jsonschema-${i}`) as Record<string, unknown>)).toEqual(plain);
      }
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      // Two schemas, each fetched once however many batches carried it.
      expect(metrics).toMatch(/sentiment_schema_registry_lookups_total\{[^}]*outcome="ok"[^}]*\} 2\b/);
    } finally {
      await worker.stop();
    }
  });

  it('when framed values name an unknown schema, do not decode, or decode to an event that breaks our contract, then each is a dead letter with its own reason and the rest are scored', async () => {
    const started = Date.now();
    const topics = await createTestTopics(bootstrap, 1);
    // The second is valid Avro for the producer's schema, but has neither text nor segments: our contract says no.
    const [avroRef] = await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro' }, [callEvent('good', 0), { call_id: 'no-transcript' }]);
    const avroId = avroRef?.schemaId as number;
    await produceRaw(bootstrap, topics.input, [
      { key: 'unknown-id', value: framed(987_654, Buffer.from('whatever')) },
      // 0xff... is a string length no Avro decoder accepts.
      { key: 'garbage', value: framed(avroId, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])) },
      { key: 'after', value: framed(avroId, Buffer.alloc(0)) },
    ]);
    await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro' }, [callEvent('good', 1)]);
    process.stdout.write(`[registry test] framed and unframed input produced in ${Date.now() - started} ms\n`);

    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, INPUT_FORMAT: 'registry' }));
    try {
      const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, 6);
      process.stdout.write(`[registry test] 6 outcomes ${Date.now() - started} ms after the start\n`);
      expect([...byCallId(results).keys()].sort()).toEqual(['good-0', 'good-1']);
      const reasons = Object.fromEntries(deadLetters.map((d) => [String(d.key), headerText(d, DeadLetterHeaders.reason)]));
      expect(reasons).toEqual({ 'no-transcript': 'SCHEMA_VIOLATION', 'unknown-id': 'SCHEMA_NOT_FOUND', garbage: 'UNDECODABLE_PAYLOAD', after: 'UNDECODABLE_PAYLOAD' });
      // Dead letters keep the framed bytes as consumed, so a replay sends exactly them again.
      const unknown = deadLetters.find((d) => String(d.key) === 'unknown-id');
      expect(unknown?.value?.equals(framed(987_654, Buffer.from('whatever')))).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it('when INPUT_FORMAT=registry and a plain JSON event arrives, then it is dead-lettered NOT_SCHEMA_FRAMED', async () => {
    const topics = await createTestTopics(bootstrap, 1);
    await produceJson(bootstrap, topics.input, [{ key: 'plain', value: callEvent('plain', 0) }]);
    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, INPUT_FORMAT: 'registry' }));
    try {
      const { deadLetters } = await waitForOutcomes(bootstrap, topics, 1);
      expect(deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason))).toEqual(['NOT_SCHEMA_FRAMED']);
    } finally {
      await worker.stop();
    }
  });

  it('when the registry cannot be reached, then framed values become SCHEMA_REGISTRY_UNAVAILABLE dead letters after bounded retries while plain JSON keeps flowing', async () => {
    const topics = await createTestTopics(bootstrap, 2);
    const refs = await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro' }, Array.from({ length: 6 }, (_, i) => callEvent('framed', i)));
    await produceJson(bootstrap, topics.input, Array.from({ length: 6 }, (_, i) => ({ key: `plain-${i}`, value: callEvent('plain', i) })));
    // A port nothing listens on: connection refused, as with a registry that is down.
    const down = `http://127.0.0.1:${registry.port + 1}/apis/ccompat/v7`;
    const started = Date.now();
    const worker = await startTestWorker(
      workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: down, SCHEMA_REGISTRY_RETRIES: '2', SCHEMA_REGISTRY_RETRY_BACKOFF_MS: '100', SCHEMA_REGISTRY_TIMEOUT_MS: '1000' }),
    );
    try {
      const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, 12);
      process.stdout.write(`[registry test] 12 outcomes with the registry down after ${Date.now() - started} ms\n`);
      expect([...byCallId(results).keys()].sort()).toEqual(Array.from({ length: 6 }, (_, i) => `plain-${i}`).sort());
      expect(deadLetters).toHaveLength(refs.length);
      expect(new Set(deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason)))).toEqual(new Set(['SCHEMA_REGISTRY_UNAVAILABLE']));
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(metrics).toMatch(/sentiment_schema_registry_lookups_total\{[^}]*outcome="unavailable"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/sentiment_dead_letters_total\{[^}]*reason="SCHEMA_REGISTRY_UNAVAILABLE"[^}]*\} 6\b/);
    } finally {
      await worker.stop();
    }
  });

  it('when OUTPUT_FORMAT=registry, then results are JSON Schema framed under <topic>-value and confluent-kafka\'s deserializer reads them', async () => {
    const topics = await createTestTopics(bootstrap, 1);
    await produceJson(bootstrap, topics.input, Array.from({ length: 3 }, (_, i) => ({ key: `plain-${i}`, value: callEvent('out', i) })));
    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, OUTPUT_FORMAT: 'registry' }));
    try {
      await waitForReady(worker.url);
      const read = await consumeWithRegistryDeserializer({ bootstrap, registryUrl: registry.url, topic: topics.output }, 3);
      expect(read.map((r) => (r.value as { call_id: string }).call_id).sort()).toEqual(['out-0', 'out-1', 'out-2']);
      const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
      expect(subjects).toContain(`${topics.output}-value`);
      const latest = (await (await fetch(`${registry.url}/subjects/${topics.output}-value/versions/latest`)).json()) as { id: number; schemaType?: string };
      expect(latest.schemaType).toBe('JSON');
      expect(new Set(read.map((r) => r.schemaId))).toEqual(new Set([latest.id]));
    } finally {
      await worker.stop();
    }
  });

  it('when the registry demands basic auth, then SCHEMA_REGISTRY_USERNAME/PASSWORD are sent, and wrong ones are refused without retries', async () => {
    const proxy = await startBasicAuthProxy(registry.url, 'sr-key', 'sr-secret');
    try {
      const topics = await createTestTopics(bootstrap, 1);
      await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro' }, [callEvent('auth', 0)]);
      const refused = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_USERNAME: 'sr-key', SCHEMA_REGISTRY_PASSWORD: 'wrong' }));
      try {
        const { deadLetters } = await waitForOutcomes(bootstrap, topics, 1);
        expect(deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason))).toEqual(['SCHEMA_REGISTRY_UNAVAILABLE']);
        expect(headerText(deadLetters[0]!, DeadLetterHeaders.message)).toMatch(/401|Unauthorized/);
        // A refused credential is not retried (retrying cannot help).
        expect(proxy.requests).toEqual([{ path: expect.stringMatching(/\/schemas\/ids\/\d+/) as unknown as string, authorized: false }]);
      } finally {
        await refused.stop();
      }
      const other = await createTestTopics(bootstrap, 1);
      await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: other.input, format: 'avro' }, [callEvent('auth', 1)]);
      const accepted = await startTestWorker(workerEnv(bootstrap, other, { SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_USERNAME: 'sr-key', SCHEMA_REGISTRY_PASSWORD: 'sr-secret' }));
      try {
        const { results } = await waitForOutcomes(bootstrap, other, 1);
        expect([...byCallId(results).keys()]).toEqual(['auth-1']);
        expect(proxy.requests.at(-1)?.authorized).toBe(true);
      } finally {
        await accepted.stop();
      }
    } finally {
      await proxy.close();
    }
  });

  // Last: it stops the shared registry (in-memory, so it would come back empty).
  it('when the registry stops after a schema was fetched, then values with that schema are still decoded and a new schema id waits for nothing but its bounded retries', async () => {
    const topics = await createTestTopics(bootstrap, 1);
    await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: topics.input, format: 'avro' }, [callEvent('before', 0)]);
    const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_RETRIES: '1', SCHEMA_REGISTRY_RETRY_BACKOFF_MS: '100' }));
    try {
      await waitForOutcomes(bootstrap, topics, 1);
      // A second schema, registered while the registry is up, but never fetched by the worker.
      const other = await createTestTopics(bootstrap, 1);
      await produceWithRegistrySerializer({ bootstrap, registryUrl: registry.url, topic: other.input, format: 'json' }, [callEvent('x', 0)]);
      await registry.stop();
      // After the stop: the same Avro bytes again (cached schema), and a value of the unfetched schema.
      const [cachedFrame] = await readTopicToEnd(bootstrap, topics.input);
      const [newFrame] = await readTopicToEnd(bootstrap, other.input);
      await produceRaw(bootstrap, topics.input, [
        { key: 'cached-schema', value: cachedFrame?.value ?? null },
        { key: 'new-schema', value: newFrame?.value ?? null },
      ]);
      const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, 3);
      expect(results.map((r) => String(r.key)).sort()).toEqual(['before-0', 'before-0']);
      expect(deadLetters.map((d) => [String(d.key), headerText(d, DeadLetterHeaders.reason)])).toEqual([['new-schema', 'SCHEMA_REGISTRY_UNAVAILABLE']]);
    } finally {
      await worker.stop();
    }
  });
});
