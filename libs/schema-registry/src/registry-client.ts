import http from 'node:http';
import https from 'node:https';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createJsonSchemaCompiler } from './json-schema-compiler';
import type { SchemaRegistryOptions } from './registry-options';

/**
 * The registry client of @kafkajs/confluent-schema-registry (formats: avsc, protobufjs, ajv; one
 * request per uncached id), set up for our options: basic auth, TLS through an agent, a timeout on
 * every request, and none of its own retries: SchemaLookup retries with a deadline and an outage
 * window that the library does not have (it does not retry a refused connection at all).
 * Loaded on first use, so a worker without a registry never loads the library or its formats.
 */
export async function createRegistryClient(options: SchemaRegistryOptions): Promise<SchemaRegistry> {
  const { SchemaRegistry: Client, SchemaType } = await import('@kafkajs/confluent-schema-registry');
  const secure = new URL(options.url).protocol === 'https:';
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        rejectUnauthorized: options.tls?.rejectUnauthorized ?? true,
        ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
        ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
        ...(options.tls?.key ? { key: options.tls.key } : {}),
      })
    : new http.Agent({ keepAlive: true });
  const timeoutMs = options.requestTimeoutMs;
  // A mappersmith middleware (the library's HTTP client): a timeout for every request.
  const timeout = () => ({
    prepareRequest: (next: () => Promise<{ enhance(extras: { timeout: number }): unknown }>) => next().then((request) => request.enhance({ timeout: timeoutMs })),
  });
  return new Client(
    {
      host: options.url.replace(/\/+$/, ''),
      clientId: 'sentiment-worker',
      retry: { retries: 0 },
      agent,
      middlewares: [timeout as never],
      ...(options.username !== undefined ? { auth: { username: options.username, password: options.password ?? '' } } : {}),
    },
    { [SchemaType.JSON]: { ajvInstance: createJsonSchemaCompiler() as never } },
  );
}
