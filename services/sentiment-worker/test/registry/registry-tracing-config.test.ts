import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sentiment/errors';
import { describeConfig, loadConfig } from '../../src/config';

describe('Schema Registry and tracing settings', () => {
  it('when nothing is set, then neither the registry nor tracing is configured and input is auto', () => {
    const config = loadConfig({});
    expect(config.schemaRegistry).toBeUndefined();
    expect(config.tracing).toBeUndefined();
    expect(config.env.INPUT_FORMAT).toBe('auto');
    expect(config.env.OUTPUT_FORMAT).toBe('json');
  });

  it.each([
    [{ INPUT_FORMAT: 'registry' }, /SCHEMA_REGISTRY_URL: required when INPUT_FORMAT is registry/],
    [{ OUTPUT_FORMAT: 'registry' }, /SCHEMA_REGISTRY_URL: required when OUTPUT_FORMAT is registry/],
    [{ SCHEMA_REGISTRY_URL: 'registry:8081' }, /SCHEMA_REGISTRY_URL: must be an http/],
    [{ SCHEMA_REGISTRY_URL: 'http://r:8081', SCHEMA_REGISTRY_USERNAME: 'key' }, /set both or neither/],
    [{ INPUT_FORMAT: 'avro' }, /INPUT_FORMAT: must be one of/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/],
  ])('when %j, then start-up stops with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('when the registry is set with credentials, then the options carry them and the password is never described', () => {
    const config = loadConfig({ SCHEMA_REGISTRY_URL: 'https://r:8081', SCHEMA_REGISTRY_USERNAME: 'key', SCHEMA_REGISTRY_PASSWORD: 'very-s3cret', SCHEMA_REGISTRY_RETRIES: '1' });
    expect(config.schemaRegistry).toMatchObject({ url: 'https://r:8081', username: 'key', password: 'very-s3cret', retries: 1, requestTimeoutMs: 2000, tls: { rejectUnauthorized: true } });
    expect(JSON.stringify(describeConfig(config))).not.toContain('very-s3cret');
  });

  it('when an OTLP endpoint is set, then traces go to <endpoint>/v1/traces; a traces endpoint wins; OTEL_SDK_DISABLED turns it off', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toMatchObject({ tracesEndpoint: 'http://collector:4318/v1/traces', serviceName: 'sentiment-worker', scheduledDelayMs: 5000 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/traces' }).tracing?.tracesEndpoint).toBe('http://b:4318/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
  });
});
