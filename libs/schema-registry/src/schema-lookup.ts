import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { errorMessage } from '@sentiment/errors';
import { SchemaRegistryError } from './schema-registry-errors';
import type { SchemaRegistryOptions } from './registry-options';

/** A writer schema as the library built it (avsc Type, protobufjs Type wrapper, or Ajv validator). */
export interface ResolvedSchema {
  id: number;
  type: 'AVRO' | 'JSON' | 'PROTOBUF';
  schema: { fromBuffer(buffer: Buffer): unknown };
}

/** Unknown ids remembered at most; past this the memory starts again empty. */
const MAX_REMEMBERED_NOT_FOUND = 10_000;

type LookupTiming = Pick<SchemaRegistryOptions, 'retries' | 'retryBackoffMs' | 'outageCooldownMs' | 'notFoundTtlMs'>;

/** What the lookup reports, for metrics and logs. */
export interface LookupListener {
  onFetch?(id: number, outcome: 'ok' | 'not_found' | 'unavailable' | 'unsupported', attempts: number, ms: number): void;
}

/**
 * Schema ids to schemas, through the registry. Cached for good once fetched (a registered schema
 * never changes under its id); one fetch per id at a time however many batches ask; bounded
 * retries; and after a lookup gave up, an outage window in which uncached ids fail at once.
 */
export class SchemaLookup {
  private readonly pending = new Map<number, Promise<ResolvedSchema>>();
  private readonly notFoundUntil = new Map<number, number>();
  private outageUntil = 0;
  private outageError: SchemaRegistryError | undefined;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly timing: LookupTiming,
    private readonly listener: LookupListener = {},
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The schema if it is already cached: no promise, no await. */
  cached(id: number): ResolvedSchema | undefined {
    const entry = this.registry.cache.getSchema(id) as { type: ResolvedSchema['type']; schema: ResolvedSchema['schema'] } | undefined;
    return entry ? { id, type: entry.type, schema: entry.schema } : undefined;
  }

  get(id: number): Promise<ResolvedSchema> {
    const hit = this.cached(id);
    if (hit) return Promise.resolve(hit);
    const now = this.now();
    const notFound = this.notFoundUntil.get(id);
    if (notFound !== undefined) {
      if (notFound > now) return Promise.reject(new SchemaRegistryError('SCHEMA_NOT_FOUND', `schema id ${id} is not in the registry`));
      this.notFoundUntil.delete(id);
    }
    let pending = this.pending.get(id);
    if (!pending) {
      if (this.outageError && this.outageUntil > now) return Promise.reject(this.outageError);
      pending = this.fetch(id).finally(() => this.pending.delete(id));
      this.pending.set(id, pending);
    }
    return pending;
  }

  private async fetch(id: number): Promise<ResolvedSchema> {
    const started = this.now();
    let delay = this.timing.retryBackoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.registry.getSchema(id);
        const resolved = this.cached(id);
        if (!resolved) throw new SchemaRegistryError('SCHEMA_UNSUPPORTED', `schema id ${id} was fetched but not cached`);
        this.outageError = undefined;
        this.listener.onFetch?.(id, 'ok', attempt, this.now() - started);
        return resolved;
      } catch (err) {
        const failure = classify(id, err);
        if (failure.retriable && attempt <= this.timing.retries) {
          await this.sleep(delay);
          delay *= 2;
          continue;
        }
        const ms = this.now() - started;
        if (failure.code === 'SCHEMA_NOT_FOUND') {
          // Bounded: a producer writing random ids must not grow this without end.
          if (this.notFoundUntil.size >= MAX_REMEMBERED_NOT_FOUND) this.notFoundUntil.clear();
          this.notFoundUntil.set(id, this.now() + this.timing.notFoundTtlMs);
          this.listener.onFetch?.(id, 'not_found', attempt, ms);
        } else if (failure.code === 'SCHEMA_REGISTRY_UNAVAILABLE') {
          this.outageUntil = this.now() + this.timing.outageCooldownMs;
          this.outageError = new SchemaRegistryError('SCHEMA_REGISTRY_UNAVAILABLE', `${failure.message} (after ${attempt} attempts; not asked again for ${this.timing.outageCooldownMs} ms)`, { cause: err, retriable: true });
          this.listener.onFetch?.(id, 'unavailable', attempt, ms);
          throw this.outageError;
        } else {
          this.listener.onFetch?.(id, 'unsupported', attempt, ms);
        }
        throw failure;
      }
    }
  }
}

/**
 * The library reports HTTP failures as a ResponseError with `status`; its HTTP client (mappersmith)
 * reports a refused connection or a timeout as status 400 too, which the Confluent API itself does
 * not use for a lookup by id. Anything without a status was thrown while building the schema.
 */
function classify(id: number, err: unknown): SchemaRegistryError {
  if (err instanceof SchemaRegistryError) return err;
  const status = typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : undefined;
  const detail = errorMessage(err).slice(0, 300);
  if (status === undefined) return new SchemaRegistryError('SCHEMA_UNSUPPORTED', `schema id ${id} cannot be used: ${detail}`, { cause: err });
  if (status === 404 || status === 422) return new SchemaRegistryError('SCHEMA_NOT_FOUND', `schema id ${id} is not in the registry (HTTP ${status})`, { cause: err });
  const retriable = status === 400 || status === 408 || status === 429 || status >= 500;
  return new SchemaRegistryError('SCHEMA_REGISTRY_UNAVAILABLE', `schema registry did not answer for id ${id}: ${detail}`, { cause: err, retriable });
}
