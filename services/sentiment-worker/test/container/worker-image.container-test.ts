import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePorts, ledgerFromTopics, produceJson, testBootstrap, uniqueName, workerTopicEnv } from '@sentiment/testing';
import { readRepoFile, repoPath } from '../deploy/helpers/deploy-files';
import { committedOffsets, createTestTopics, endOffsets, waitFor, type TestTopics } from '../helpers/worker-harness';
import { HARDENED } from './helpers/hardened-flags';
import { kcatCount, kcatOutcomes } from './helpers/kcat-count';
import { containerLogs, fromContainerTestScript, inspect, podman, podmanOk, removeContainer, startContainer } from './helpers/podman';

const image = fromContainerTestScript('CONTAINER_TEST_WORKER_IMAGE');
const SHUTDOWN_TIMEOUT_MS = 15_000;
interface HealthBody {
  status: string;
  scorer: { active: string; model_loaded: boolean };
  kafka: { connected: boolean; consumer: { state: string } };
}

function workerContainerEnv(bootstrap: string, topics: TestTopics, port: number): Record<string, string> {
  return {
    ...workerTopicEnv(bootstrap, topics),
    PORT: String(port),
    // The host network: listen on loopback only.
    HOST: '127.0.0.1',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
}

async function waitForReadyContainer(name: string, url: string): Promise<void> {
  await waitFor(`${name}: /ready to answer 200`, async () => {
    if ((await inspect(name, '{{.State.Running}}')) !== 'true') {
      throw new Error(`${name} is not running (exit ${await inspect(name, '{{.State.ExitCode}}')}):\n${await containerLogs(name)}`);
    }
    const res = await fetch(`${url}/ready`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, 120_000, 500).catch(async (err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${await containerLogs(name)}`);
  });
}

/** Uid, effective capabilities and command name of a host process, from /proc. */
function processInfo(pid: number): { pid: number; comm: string; uids: string; capEff: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim() ?? '';
  return { pid, comm: field('Name'), uids: field('Uid').split(/\s+/).join(' '), capEff: field('CapEff') };
}

function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Inputs whose outcome the broker acknowledged, from the worker's /metrics (sentiment_messages_processed_total). */
async function processedCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^sentiment_messages_processed_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function produceSamples(bootstrap: string, topic: string, file: string, extra: string[] = []): void {
  const out = spawnSync(process.execPath, [repoPath('dist/scripts/produce.js'), repoPath('samples', file), '--brokers', bootstrap, '--topic', topic, ...extra], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`produce ${file} failed:\n${out.stderr}`);
}

describe(`the worker image ${image}, run by podman (read-only root, no capabilities) against the harness broker`, () => {
  const bootstrap = testBootstrap();
  const name = uniqueName('worker-image');
  const containers = [name];
  let topics: TestTopics;
  let url = '';

  beforeAll(async () => {
    topics = await createTestTopics(bootstrap, 3);
    const [port] = (await freePorts(1)) as [number];
    url = `http://127.0.0.1:${port}`;
    await startContainer({ name, image, flags: HARDENED, env: workerContainerEnv(bootstrap, topics, port) });
    await waitForReadyContainer(name, url);
  });

  afterAll(async () => {
    for (const c of containers) await removeContainer(c);
  });

  it('when the image is inspected, then it runs uid 1000 under tini, keeps its HEALTHCHECK and ships the Node of .node-version', async () => {
    const [config] = JSON.parse(await podmanOk(['image', 'inspect', image])) as Array<{
      Config: { User: string; Entrypoint: string[]; Env: string[] };
      Healthcheck?: { Test: string[] };
    }>;
    expect(config?.Config.User).toBe('1000:1000');
    expect(config?.Config.Entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(config?.Config.Env).toContain('NODE_ENV=production');
    // Only the Docker image format stores it (podman build --format docker): an OCI image has none.
    expect(config?.Healthcheck?.Test.join(' ')).toContain('/health');
    const version = await podmanOk(['run', '--rm', image, 'node', '--version']);
    expect(version.trim()).toBe(`v${readRepoFile('.node-version').trim()}`);
  });

  it('when the container runs, then tini and node are uid 1000 on the host with no effective capabilities, and neither /app nor /tmp can be written', async () => {
    const pid = Number(await inspect(name, '{{.State.Pid}}'));
    const processes = [pid, ...childPids(pid)].map(processInfo);
    console.log(`processes of ${name}: ${JSON.stringify(processes)}`);
    // Node 26 names its main thread (and so the process's comm) node-MainThread.
    expect(processes.map((p) => p.comm)).toEqual(['tini', expect.stringMatching(/^node/)]);
    for (const p of processes) expect({ comm: p.comm, uids: p.uids, capEff: p.capEff }).toEqual({ comm: p.comm, uids: '1000 1000 1000 1000', capEff: '0000000000000000' });
    for (const dir of ['/app', '/tmp']) {
      const write = await podman(['exec', name, 'sh', '-c', `touch ${dir}/probe`]);
      expect({ dir, code: write.code === 0 ? 0 : 'failed', stderr: write.stderr.includes('Read-only file system') }).toEqual({ dir, code: 'failed', stderr: true });
    }
  });

  it('when it is up, then /health answers 200 with the VADER scorer and /ready answered 200 once the consumer joined', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as HealthBody;
    console.log(`/health: ${JSON.stringify(body)}`);
    // degraded: no model in this image, so VADER serves (docs/operations.md, entry 4).
    expect(body.status).toBe('degraded');
    expect(body.scorer).toMatchObject({ active: 'vader', model_loaded: false });
    expect(body.kafka).toMatchObject({ connected: true, consumer: { state: 'running' } });
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it('when podman runs the image\'s HEALTHCHECK, then it passes, and it fails in a container whose API is not listening', async () => {
    const passed = await podman(['healthcheck', 'run', name]);
    console.log(`podman healthcheck run ${name}: exit ${passed.code} ${passed.stdout.trim()}`);
    expect(passed.code).toBe(0);
    expect(await inspect(name, '{{.State.Healthcheck.Status}}')).toBe('healthy');

    const idle = uniqueName('worker-image-idle');
    containers.push(idle);
    const [closedPort] = (await freePorts(1)) as [number];
    await startContainer({ name: idle, image, flags: HARDENED, env: { PORT: String(closedPort) }, command: ['node', '-e', 'setInterval(() => {}, 1000)'] });
    const failed = await podman(['healthcheck', 'run', idle]);
    console.log(`podman healthcheck run ${idle} (no API): exit ${failed.code} ${failed.stdout.trim()}`);
    expect(failed.code).not.toBe(0);
    await removeContainer(idle);
  });

  it('when 1,000 valid and 20 malformed samples are produced, then kcat counts 1,000 results and 20 dead letters', async () => {
    produceSamples(bootstrap, topics.input, 'calls.jsonl', ['--count', '1000']);
    produceSamples(bootstrap, topics.input, 'malformed.jsonl');
    expect(await kcatOutcomes(bootstrap, topics, 1020)).toEqual({ results: 1000, deadLetters: 20 });
  });

  it('when SIGTERM arrives mid-stream, then it drains and exits 0 before the SHUTDOWN_TIMEOUT_MS deadline, and a new container finishes with nothing lost or duplicated', async () => {
    // Long calls (~6,000 characters each): a backlog of several seconds' work, so the signal lands
    // while batches are in flight. SIGTERM goes out as soon as the worker's own counter shows it started.
    const call = 'The agent was helpful and I am grateful, but the delivery was late again and that is really frustrating. '.repeat(60);
    const more = Array.from({ length: 3000 }, (_, i) => ({ key: `drain-${i}`, value: { call_id: `drain-${i}`, text: call } }));
    await produceJson(bootstrap, topics.input, more);
    await waitFor('the worker to start on the new events', async () => ((await processedCount(url)) > 1020 ? true : undefined), 60_000, 20);

    // podman stop sends the image's stop signal (SIGTERM, forwarded by tini) and SIGKILLs after --time
    // seconds: exit code 0 (not 137) means the worker finished within SHUTDOWN_TIMEOUT_MS.
    const started = Date.now();
    await podmanOk(['stop', '--time', String(SHUTDOWN_TIMEOUT_MS / 1000), name], SHUTDOWN_TIMEOUT_MS + 30_000);
    const seconds = (Date.now() - started) / 1000;
    const exitCode = await inspect(name, '{{.State.ExitCode}}');
    const outcomesAtExit = (await kcatCount(bootstrap, topics.output)) + (await kcatCount(bootstrap, topics.dlq));
    console.log(`SIGTERM: exit ${exitCode} after ${seconds.toFixed(1)} s; ${outcomesAtExit} of ${1020 + more.length} outcomes written by then (fewer: it stopped mid-stream)`);
    expect(exitCode).toBe('0');
    expect(await containerLogs(name, 200)).toMatch(/"message":"stopping".*received SIGTERM/);

    const committed = [...(await committedOffsets(bootstrap, topics.group, topics.input)).values()].reduce((a, b) => a + Math.max(0, b), 0);
    const ends = [...(await endOffsets(bootstrap, topics.input)).values()].reduce((a, b) => a + b, 0);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThanOrEqual(ends);

    const second = uniqueName('worker-image-second');
    containers.push(second);
    const [port] = (await freePorts(1)) as [number];
    await startContainer({ name: second, image, flags: HARDENED, env: workerContainerEnv(bootstrap, topics, port) });
    const counts = await kcatOutcomes(bootstrap, topics, 1020 + more.length, 240);
    expect(counts).toEqual({ results: 1000 + more.length, deadLetters: 20 });
    const report = await ledgerFromTopics(bootstrap, topics);
    expect({ lost: report.lost, duplicates: report.duplicates, unknown: report.unknown }).toEqual({ lost: [], duplicates: [], unknown: [] });
  });
});
