/** How to reach the registry and how patient to be with it (SCHEMA_REGISTRY_* in docs/configuration.md). */
export interface SchemaRegistryOptions {
  /** Base URL of the Confluent-compatible API, e.g. http://registry:8081 or https://host/apis/ccompat/v7. */
  url: string;
  username?: string;
  password?: string;
  /** PEM texts; only used for an https URL. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** One HTTP request to the registry. */
  requestTimeoutMs: number;
  /** Further attempts after a failed one that may succeed (unreachable, timeout, 5xx, 429). */
  retries: number;
  /** First delay between attempts; doubles each time. */
  retryBackoffMs: number;
  /**
   * After the retries of a lookup ran out, lookups of schemas not yet cached fail at once for this
   * long instead of each waiting through its own retries: batches of other partitions go on (their
   * framed values become SCHEMA_REGISTRY_UNAVAILABLE dead letters, replayable) rather than queueing
   * behind a registry that is down.
   */
  outageCooldownMs: number;
  /** An id the registry said it does not know is not asked again for this long. */
  notFoundTtlMs: number;
}

export const defaultSchemaRegistryOptions = {
  requestTimeoutMs: 2000,
  retries: 3,
  retryBackoffMs: 200,
  outageCooldownMs: 5000,
  notFoundTtlMs: 10_000,
} satisfies Partial<SchemaRegistryOptions>;
