/**
 * `npm run bench:registry-decode`: what decoding registry-framed input costs per message, next to
 * plain JSON, with the schemas already cached (the steady state: one registry request per schema
 * id for the life of the process). No broker, no registry: the library's own schema objects are
 * put into its cache. Batches of 200 TweetEval texts, medians of 7 rounds of 20,000 messages.
 *
 *   plain JSON                decodeCallEvent per message (today's path, hooks absent)
 *   auto, plain batch         INPUT_FORMAT=auto with a registry: the framing scan finds nothing
 *   Avro framed               decodeBatch: avsc decode, JSON rendition, decodeCallEvent
 *   JSON Schema framed        decodeBatch: parse + the producer's schema (ajv), then ours
 *   result JSON / framed      JSON.stringify vs ResultEncoder-equivalent (validate + frame)
 */
import { performance } from 'node:perf_hooks';
import avro from 'avsc';
import { decodeCallEvent, defaultDecodeLimits, sentimentResultSchema } from '@sentiment/events';
import { createJsonSchemaCompiler, createRegistryClient, defaultSchemaRegistryOptions, RegistryInputDecoder, SchemaLookup } from '@sentiment/schema-registry';
import { tweetEvalTestTexts } from './lib/bench-broker';

const BATCH = 200;
const TOTAL = 20_000;
const ROUNDS = 7;

const AVRO_SCHEMA = {
  type: 'record',
  name: 'CallTranscribed',
  fields: [
    { name: 'call_id', type: 'string' },
    { name: 'text', type: ['null', 'string'], default: null },
    { name: 'language', type: ['null', 'string'], default: null },
    { name: 'metadata', type: ['null', { type: 'map', values: 'string' }], default: null },
  ],
} as const;
const JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['call_id'],
  properties: { call_id: { type: 'string' }, text: { type: 'string' }, language: { type: 'string' }, metadata: { type: 'object' } },
};

function frame(id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, payload]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

async function main(): Promise<void> {
  const texts = tweetEvalTestTexts();
  const events = Array.from({ length: TOTAL }, (_, i) => ({ call_id: `call-${i}`, text: texts[i % texts.length] as string, language: 'en', metadata: { queue: 'billing' } }));
  const avroType = avro.Type.forSchema(AVRO_SCHEMA as unknown as avro.Schema);
  const { default: JsonSchema } = (await import('@kafkajs/confluent-schema-registry/dist/JsonSchema')) as unknown as {
    default: new (schema: { type: string; schema: string }, opts: object) => { fromBuffer(b: Buffer): unknown; toBuffer(p: object): Buffer };
  };
  const jsonSchema = new JsonSchema({ type: 'JSON', schema: JSON.stringify(JSON_SCHEMA) }, { ajvInstance: createJsonSchemaCompiler() });
  const resultSchema = new JsonSchema({ type: 'JSON', schema: JSON.stringify(sentimentResultSchema) }, { ajvInstance: createJsonSchemaCompiler() });

  // A client that is never asked: both schemas are in its cache, as after the first lookup.
  const client = await createRegistryClient({ url: 'http://127.0.0.1:9', ...defaultSchemaRegistryOptions });
  client.cache.setSchema(1, 'AVRO' as never, avroType as never);
  client.cache.setSchema(2, 'JSON' as never, jsonSchema as never);
  const decoder = new RegistryInputDecoder('auto', new SchemaLookup(client, defaultSchemaRegistryOptions), defaultDecodeLimits);

  const batches = (values: Buffer[]) => Array.from({ length: TOTAL / BATCH }, (_, b) => values.slice(b * BATCH, (b + 1) * BATCH).map((value) => ({ value })));
  const plain = batches(events.map((e) => Buffer.from(JSON.stringify(e))));
  const avroFramed = batches(events.map((e) => frame(1, avroType.toBuffer({ ...e }))));
  const jsonFramed = batches(events.map((e) => frame(2, Buffer.from(JSON.stringify(e)))));
  const result = {
    schema_version: 1, call_id: 'call-1', label: 'positive', scores: { negative: 0.01, neutral: 0.2, positive: 0.79 }, confidence: 0.79, low_confidence: false,
    model: 'vader', models: ['vader'], chunks: 1, compound: 0.79, language: 'en', metadata: { queue: 'billing' },
    source: { topic: 'calls.transcribed', partition: 2, offset: '17', timestamp: '1763900000000' },
    timings: { received_at: '2026-11-23T17:05:01.120Z', scoring_ms: 1.8, queue_ms: 12, batch_size: 24 }, worker: { version: '0.1.0', instance: 'w' },
  };

  let sink = 0;
  const cases: Record<string, () => Promise<void> | void> = {
    'plain JSON': () => {
      for (const batch of plain) for (const m of batch) sink += decodeCallEvent(m.value, defaultDecodeLimits).ok ? 1 : 0;
    },
    'auto, plain batch': async () => {
      for (const batch of plain) {
        const framed = decoder.decodeBatch(batch);
        const pre = framed === undefined ? undefined : await framed;
        for (let i = 0; i < batch.length; i++) sink += (pre?.[i] ?? decodeCallEvent((batch[i] as { value: Buffer }).value, defaultDecodeLimits)).ok ? 1 : 0;
      }
    },
    'Avro framed': async () => {
      for (const batch of avroFramed) for (const r of (await decoder.decodeBatch(batch)) ?? []) sink += r?.ok ? 1 : 0;
    },
    'JSON Schema framed': async () => {
      for (const batch of jsonFramed) for (const r of (await decoder.decodeBatch(batch)) ?? []) sink += r?.ok ? 1 : 0;
    },
    'result JSON.stringify': () => {
      for (let i = 0; i < TOTAL; i++) sink += JSON.stringify(result).length;
    },
    'result framed (validate + frame)': () => {
      const header = frame(3, Buffer.alloc(0));
      for (let i = 0; i < TOTAL; i++) sink += Buffer.concat([header, resultSchema.toBuffer(result)]).length;
    },
  };
  const times = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const started = performance.now();
      await run();
      const us = ((performance.now() - started) * 1000) / TOTAL;
      times.set(name, [...(times.get(name) ?? []), us]);
    }
  }
  const base = median(times.get('plain JSON') as number[]);
  const resultBase = median(times.get('result JSON.stringify') as number[]);
  process.stdout.write(`| case (${TOTAL.toLocaleString()} messages, batches of ${BATCH}, median of ${ROUNDS}) | µs per message | vs baseline |\n|---|---|---|\n`);
  for (const [name, xs] of times) {
    const m = median(xs);
    const ref = name.startsWith('result') ? resultBase : base;
    process.stdout.write(`| ${name} | ${m.toFixed(2)} | ${(m / ref).toFixed(2)}x |\n`);
  }
  if (sink === 0) process.stdout.write('(nothing decoded?)\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
