import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sentiment/errors';
import { envSchema, loadConfig, describeConfig } from '../src/config';

const repoRoot = join(__dirname, '..', '..', '..', '..');

describe('configuration', () => {
  it('when nothing is set, then the defaults make a working config', () => {
    const config = loadConfig({});
    expect(config.env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.env.INPUT_TOPIC).toBe('calls.transcribed');
    expect(config.env.PROCESSING_MODE).toBe('at-least-once');
    expect(config.transactionalId).toBeUndefined();
  });

  it('when values are bad, then one error names every bad variable and what is allowed', () => {
    let caught: unknown;
    try {
      loadConfig({ MAX_IN_FLIGHT_BATCHES: '0', OUTPUT_COMPRESSION: 'brotli', KAFKA_BROKERS: 'nohostport', KAFKA_TLS: 'maybe' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/MAX_IN_FLIGHT_BATCHES: must be an integer from 1 to 64 \(got "0"\)/);
    expect(message).toMatch(/OUTPUT_COMPRESSION: must be one of none, gzip, snappy, lz4, zstd/);
    expect(message).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(message).toMatch(/KAFKA_TLS: must be one of true, false/);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('when SASL is chosen without credentials, then start-up fails naming both variables', () => {
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  });

  it('when a password is set, then describeConfig hides it', () => {
    const config = loadConfig({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(JSON.stringify(describeConfig(config))).not.toContain('s3cret');
    expect(config.kafka.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 's3cret' });
  });

  it('when exactly-once is chosen, then a stable transactional id is derived', () => {
    const config = loadConfig({ PROCESSING_MODE: 'exactly-once', INSTANCE_ID: 'pod-1', KAFKA_GROUP_ID: 'g' });
    expect(config.transactionalId).toBe('g-pod-1');
  });

  it('when docs/configuration.md is compared with the schema, then both list the same variables', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'configuration.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});
