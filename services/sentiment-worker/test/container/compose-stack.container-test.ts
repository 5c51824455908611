import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runKcat } from '@sentiment/testing';
import { publishedPort, readCompose, readPodmanComposeOverride, repoRoot, serviceEnv } from '../deploy/helpers/deploy-files';
import { waitFor } from '../helpers/worker-harness';
import { kcatOutcomes } from './helpers/kcat-count';
import { fromContainerTestScript, inspect, podman, runCommand, type CommandResult } from './helpers/podman';

// docker-compose.yml as podman-compose runs it, with the test-only override (deploy/compose/): Kafka
// (the local apache/kafka stand-in), kafka-init, the worker and the demo producer. Prometheus and
// Grafana are left out (their images are not reachable here); compose-file.test.ts validates them.
const podmanCompose = fromContainerTestScript('CONTAINER_TEST_PODMAN_COMPOSE');
const project = 'sentiment-compose-test';
const files = ['-f', 'docker-compose.yml', '-f', 'deploy/compose/podman-test.override.yml'];
// The override's host ports (literal there: podman-compose does not expand variables in !override).
const override = readPodmanComposeOverride();
const kafkaPort = publishedPort(override.services['kafka'] ?? {}, 9094) ?? 0;
const workerPort = publishedPort(override.services['worker'] ?? {}, 8080) ?? 0;
const kafkaBootstrap = `localhost:${kafkaPort}`;
const workerUrl = `http://127.0.0.1:${workerPort}`;
const PRODUCE_COUNT = 500;
const malformedSamples = 20;
const services = ['kafka', 'kafka-init', 'worker', 'producer'];
const container = (service: string) => `${project}_${service}_1`;

function compose(args: string[], timeoutMs = 300_000): Promise<CommandResult> {
  return runCommand(podmanCompose, ['-p', project, ...files, ...args], {
    timeoutMs,
    cwd: repoRoot,
    // VADER only: the worker image was built without a model, so compose must not try to build one.
    env: { INCLUDE_MODEL: 'false', PRODUCE_COUNT: String(PRODUCE_COUNT) },
  });
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () => reject(new Error(`127.0.0.1:${port} is in use; the compose test publishes it (deploy/compose/podman-test.override.yml)`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('docker-compose.yml under podman-compose: kafka, kafka-init, worker, producer', () => {
  const worker = readCompose().services['worker'] ?? {};

  beforeAll(async () => {
    await assertPortFree(kafkaPort);
    await assertPortFree(workerPort);
    await compose(['down', '-t', '5']);
    const started = Date.now();
    const up = await compose(['up', '-d', '--no-build', ...services]);
    console.log(`podman-compose up: exit ${up.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (up.code !== 0) throw new Error(`podman-compose up failed:\n${up.stdout}\n${up.stderr}`);
  }, 400_000);

  afterAll(async () => {
    const ps = await podman(['ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}} {{.Status}}']);
    console.log(`containers before down:\n${ps.stdout}`);
    const down = await compose(['down', '-t', '10']);
    if (down.code !== 0) console.warn(`podman-compose down: exit ${down.code}\n${down.stderr}`);
  }, 120_000);

  it('when the stack is up, then the images are the compose file\'s and kafka-init created the topics with their partition counts', async () => {
    expect(await inspect(container('kafka'), '{{.ImageName}}')).toMatch(/(^|\/)apache\/kafka:3\.9\.1$/);
    expect(await inspect(container('worker'), '{{.ImageName}}')).toMatch(/(^|\/)sentiment-worker:local$/);
    await waitFor('kafka-init to exit 0', async () => {
      const state = await inspect(container('kafka-init'), '{{.State.Status}} {{.State.ExitCode}}');
      if (/^exited [1-9]/.test(state)) throw new Error(`kafka-init failed: ${state}`);
      return state === 'exited 0' ? true : undefined;
    }, 120_000, 1000);
    const metadata = JSON.parse((await runKcat(['-b', kafkaBootstrap, '-L', '-J'])).stdout.toString('utf8')) as {
      topics: Array<{ topic: string; partitions: unknown[] }>;
    };
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.topic, t.partitions.length]));
    const init = serviceEnv(readCompose().services['kafka-init'] ?? {});
    expect(partitions).toMatchObject({
      [init['INPUT_TOPIC'] as string]: Number(init['INPUT_PARTITIONS']),
      [init['OUTPUT_TOPIC'] as string]: Number(init['OUTPUT_PARTITIONS']),
      [init['DLQ_TOPIC'] as string]: Number(init['DLQ_PARTITIONS']),
    });
  });

  it(`when the producer has sent its ${PRODUCE_COUNT} samples and ${malformedSamples} malformed lines, then kcat on the host counts as many results and dead letters`, async () => {
    await waitFor('the producer to exit', async () => {
      const state = await inspect(container('producer'), '{{.State.Status}} {{.State.ExitCode}}');
      return state.startsWith('exited') ? state : undefined;
    }, 120_000, 1000).then((state) => expect(state).toBe('exited 0'));
    const env = serviceEnv(worker);
    expect(await kcatOutcomes(kafkaBootstrap, { output: env['OUTPUT_TOPIC'] as string, dlq: env['DLQ_TOPIC'] as string }, PRODUCE_COUNT + malformedSamples)).toEqual({
      results: PRODUCE_COUNT,
      deadLetters: malformedSamples,
    });
    // The troubleshooting guide's command (docs/operations.md, entry 2): the group commits everything
    // (offsets follow the outcomes by a moment, hence the wait).
    const describeGroup = () =>
      podman(['exec', container('kafka'), '/opt/kafka/bin/kafka-consumer-groups.sh', '--bootstrap-server', 'localhost:9092', '--describe', '--group', env['KAFKA_GROUP_ID'] as string]);
    const lags = await waitFor('the group to have no lag', async () => {
      const groups = await describeGroup();
      if (groups.code !== 0) throw new Error(`kafka-consumer-groups.sh failed: ${groups.stderr}`);
      const lag = groups.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((cols) => cols[1] === env['INPUT_TOPIC']).map((cols) => cols[5]);
      return lag.length === 6 && lag.every((l) => l === '0') ? groups.stdout.trim() : undefined;
    }, 30_000, 1000);
    console.log(`kafka-consumer-groups.sh --describe:\n${lags}`);
  });

  it('when the worker runs, then its published port answers /health and /ready, and the kafka and worker healthchecks pass', async () => {
    const health = (await (await fetch(`${workerUrl}/health`)).json()) as { status: string; kafka: { connected: boolean } };
    expect(health.kafka.connected).toBe(true);
    expect((await fetch(`${workerUrl}/ready`)).status).toBe(200);
    // No systemd here, so nothing runs them on a timer; run each once by hand.
    for (const service of ['kafka', 'worker']) {
      const check = await podman(['healthcheck', 'run', container(service)]);
      expect({ service, code: check.code }).toEqual({ service, code: 0 });
    }
  });

  it('when the worker is stopped, then it shuts down gracefully and exits 0 within its stop_grace_period', async () => {
    const started = Date.now();
    const stop = await compose(['stop', 'worker']);
    console.log(`podman-compose stop worker: exit ${stop.code} after ${((Date.now() - started) / 1000).toFixed(1)} s (stop_grace_period ${worker.stop_grace_period})`);
    expect(await inspect(container('worker'), '{{.State.ExitCode}}')).toBe('0');
  });
});
