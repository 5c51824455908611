import { describe, expect, it } from '@jest/globals';
import { publishedPort, readCompose, readPodmanComposeOverride, readRepoFile, serviceEnv } from './helpers/deploy-files';

const compose = readCompose();
const override = readPodmanComposeOverride();

// deploy/compose/podman-test.override.yml adapts docker-compose.yml to podman 4.3 for the container
// test (services/sentiment-worker/test/container/compose-stack.container-test.ts). These checks keep
// it a thin layer over the real file rather than a second stack.
describe('deploy/compose/podman-test.override.yml', () => {
  it('when merged, then it only adjusts services of docker-compose.yml and changes no image, command or worker variable', () => {
    for (const [name, service] of Object.entries(override.services)) {
      expect({ name, known: name in compose.services }).toEqual({ name, known: true });
      expect({ name, image: service.image, command: service.command, build: service.build }).toEqual({ name, image: undefined, command: undefined, build: undefined });
    }
    expect(override.services['worker']?.environment).toBeUndefined();
  });

  it('when Kafka is published for host tools, then it listens on loopback and advertises the port it publishes', () => {
    const kafka = override.services['kafka'] ?? {};
    expect((kafka.ports ?? []).map(String).every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
    const port = publishedPort(kafka, 9094);
    expect(port).toBeDefined();
    const advertised = serviceEnv(kafka)['KAFKA_ADVERTISED_LISTENERS'] ?? '';
    expect(advertised).toBe((serviceEnv(compose.services['kafka'] ?? {})['KAFKA_ADVERTISED_LISTENERS'] ?? '').replace(':9094', `:${port}`));
  });

  it('when the worker is published, then it is one loopback port for the container port docker-compose.yml publishes as a range', () => {
    const base = (compose.services['worker']?.ports ?? []).map(String);
    expect(base[0]).toMatch(/^\d+-\d+:8080$/);
    const ports = (override.services['worker']?.ports ?? []).map(String);
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatch(/^127\.0\.0\.1:\d+:8080$/);
  });

  it('when kafka-init waits for the broker, then it runs the kafka healthcheck\'s own probe and then create-topics.sh', () => {
    const probe = JSON.stringify(compose.services['kafka']?.healthcheck?.test ?? '');
    const command = /kafka-broker-api-versions\.sh --bootstrap-server localhost:9092/.exec(probe)?.[0];
    expect(command).toBeDefined();
    const entrypoint = (override.services['kafka-init']?.entrypoint as string[] | undefined)?.join(' ') ?? '';
    expect(entrypoint).toContain((command ?? '').replace('localhost:9092', 'kafka:9092'));
    const baseEntrypoint = (compose.services['kafka-init']?.entrypoint as string[] | undefined) ?? [];
    expect(entrypoint).toContain(`exec ${baseEntrypoint.join(' ')}`);
    expect(readRepoFile('deploy/kafka/create-topics.sh')).toContain('--if-not-exists');
  });
});
