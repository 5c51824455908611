import { describe, expect, it } from '@jest/globals';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SchemaLookup } from '../src';

/**
 * The lookup's timing rules (retries, single flight, outage window, not-found memory) with a
 * registry client double and a hand-driven clock; against the real registry they are covered by
 * services/sentiment-worker/test/registry/registry-input.int.test.ts.
 */
function fakeRegistry(answers: (id: number, call: number) => 'ok' | number) {
  const cached = new Map<number, { type: string; schema: { fromBuffer(b: Buffer): unknown } }>();
  const calls: number[] = [];
  const registry = {
    cache: { getSchema: (id: number) => cached.get(id) },
    async getSchema(id: number) {
      calls.push(id);
      const answer = answers(id, calls.filter((c) => c === id).length);
      if (answer === 'ok') {
        cached.set(id, { type: 'AVRO', schema: { fromBuffer: () => ({}) } });
        return {};
      }
      throw Object.assign(new Error(`status ${answer}`), { name: 'ResponseError', status: answer });
    },
  };
  return { registry: registry as unknown as SchemaRegistry, calls };
}

const timing = { retries: 2, retryBackoffMs: 100, outageCooldownMs: 1000, notFoundTtlMs: 5000 };

function clock() {
  let now = 0;
  const slept: number[] = [];
  return { now: () => now, sleep: async (ms: number) => { slept.push(ms); now += ms; }, advance: (ms: number) => { now += ms; }, slept };
}

describe('SchemaLookup', () => {
  it('when the registry answers 503 then 200, then the lookup retries with doubling backoff and caches the schema', async () => {
    const { registry, calls } = fakeRegistry((_id, call) => (call < 3 ? 503 : 'ok'));
    const c = clock();
    const outcomes: string[] = [];
    const lookup = new SchemaLookup(registry, timing, { onFetch: (_id, outcome, attempts) => outcomes.push(`${outcome}/${attempts}`) }, c.now, c.sleep);
    await expect(lookup.get(1)).resolves.toMatchObject({ id: 1, type: 'AVRO' });
    expect(c.slept).toEqual([100, 200]);
    expect(outcomes).toEqual(['ok/3']);
    await lookup.get(1);
    expect(calls).toEqual([1, 1, 1]);
  });

  it('when many batches ask for one id at once, then one fetch serves them all', async () => {
    const { registry, calls } = fakeRegistry(() => 'ok');
    const c = clock();
    const lookup = new SchemaLookup(registry, timing, {}, c.now, c.sleep);
    await Promise.all([lookup.get(5), lookup.get(5), lookup.get(5)]);
    expect(calls).toEqual([5]);
  });

  it('when the registry says 404, then SCHEMA_NOT_FOUND at once, not retried, and not asked again within the TTL', async () => {
    const { registry, calls } = fakeRegistry(() => 404);
    const c = clock();
    const lookup = new SchemaLookup(registry, timing, {}, c.now, c.sleep);
    await expect(lookup.get(2)).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND', retriable: false });
    await expect(lookup.get(2)).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND' });
    expect(calls).toEqual([2]);
    c.advance(5001);
    await expect(lookup.get(2)).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND' });
    expect(calls).toEqual([2, 2]);
  });

  it('when the registry stays unreachable, then the lookup gives up after its retries and other ids fail at once until the cooldown passes', async () => {
    let up = false;
    const { registry, calls } = fakeRegistry(() => (up ? 'ok' : 400));
    const c = clock();
    const lookup = new SchemaLookup(registry, timing, {}, c.now, c.sleep);
    await expect(lookup.get(3)).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_UNAVAILABLE' });
    expect(calls).toEqual([3, 3, 3]);
    await expect(lookup.get(4)).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_UNAVAILABLE' });
    expect(calls).toEqual([3, 3, 3]);
    up = true;
    c.advance(1001);
    await expect(lookup.get(4)).resolves.toMatchObject({ id: 4 });
  });

  it('when the registry refuses the credentials (401), then the lookup is not retried', async () => {
    const { registry, calls } = fakeRegistry(() => 401);
    const c = clock();
    const lookup = new SchemaLookup(registry, timing, {}, c.now, c.sleep);
    await expect(lookup.get(6)).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_UNAVAILABLE' });
    expect(calls).toEqual([6]);
  });

  it('when building the schema fails (no HTTP status), then SCHEMA_UNSUPPORTED', async () => {
    const registry = { cache: { getSchema: () => undefined }, getSchema: async () => { throw new Error('unknown type: "object"'); } } as unknown as SchemaRegistry;
    const c = clock();
    await expect(new SchemaLookup(registry, timing, {}, c.now, c.sleep).get(9)).rejects.toMatchObject({ code: 'SCHEMA_UNSUPPORTED' });
  });
});
