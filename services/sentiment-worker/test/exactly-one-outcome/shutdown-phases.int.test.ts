import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { freePorts, kafkaClientsUnderTest, produceJson, testBootstrap } from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import type { WorkerProcess } from '../helpers/worker-process';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures, summary, waitForNothingLost } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { setTopicConfig } from '../reliability/helpers/topic-config';
import { health, metricTotal, poll } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';
import { workerLogLines } from '../helpers/worker-log-lines';

jest.setTimeout(300_000);

/** The deadline under test. The test's own SIGKILL fallback comes much later, so "exited by itself" is what is checked. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
const KILL_AFTER_MS = 3 * SHUTDOWN_TIMEOUT_MS;

interface LogLine {
  msg?: string;
  message?: string;
  component?: string;
}

const logLines = (worker: WorkerProcess): LogLine[] => workerLogLines<LogLine>(worker);

/** SIGTERM; the exit code, how long it took, and whether the consumer joined or batches completed after the stop began. */
async function stopAndWatch(worker: WorkerProcess): Promise<{ code: number | null; ms: number; joinedAfterStop: boolean; stoppedLogged: boolean }> {
  const started = Date.now();
  const code = await worker.stop(KILL_AFTER_MS);
  const ms = Date.now() - started;
  const lines = logLines(worker).map((l) => l.message ?? l.msg ?? '');
  const stopAt = lines.indexOf('stopping');
  return { code, ms, joinedAfterStop: stopAt >= 0 && lines.slice(stopAt).includes('joined consumer group'), stoppedLogged: lines.includes('stopped') };
}

describe.each(kafkaClientsUnderTest())('the shutdown deadline in every phase (%s client)', (client) => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());
  const env = (bootstrap: string, topics: Parameters<typeof workerEnv>[1], extra: Record<string, string> = {}) =>
    workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), LOG_LEVEL: 'info', ...extra });

  it('when SIGTERM arrives while it is still connecting (no broker answers), then it exits 0 within the deadline', async () => {
    const [closed] = await freePorts(1);
    const topics = { input: 'in', output: 'out', dlq: 'dlq', group: 'g' };
    const worker = await workers.spawn(env(`127.0.0.1:${closed}`, topics, { KAFKA_CONNECTION_TIMEOUT_MS: '500' }));
    await new Promise((r) => setTimeout(r, 3000));
    const stopped = await stopAndWatch(worker);
    reportFigures(`shutdown while connecting (${client})`, stopped);
    expect(stopped).toMatchObject({ code: 0, joinedAfterStop: false, stoppedLogged: true });
  });

  it('when SIGTERM arrives while it is joining a group whose dead member holds the rebalance, then it exits 0 within the deadline and never joins after it began stopping', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    // A member that dies without leaving: the next rebalance waits for its 60 s session to expire.
    const dead = await workers.spawn(env(bootstrap, topics, { INSTANCE_ID: `dead-${client}`, KAFKA_SESSION_TIMEOUT_MS: '60000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000', KAFKA_REBALANCE_TIMEOUT_MS: '60000' }));
    await poll('the first member in its group', async () => ((await health(dead.url)).kafka.consumer.state === 'running' ? true : undefined), 60_000);
    await dead.kill();
    const joining = await workers.spawn(env(bootstrap, topics, { INSTANCE_ID: `joining-${client}`, KAFKA_SESSION_TIMEOUT_MS: '60000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000', KAFKA_REBALANCE_TIMEOUT_MS: '60000' }));
    // Joining: the coordinator holds its JoinGroup until the dead member expires.
    await poll('the second member to be joining', async () => (['starting', 'rebalancing'].includes((await health(joining.url)).kafka.consumer.state) ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 5000));
    expect((await health(joining.url)).kafka.consumer.state).not.toBe('running');
    const stopped = await stopAndWatch(joining);
    reportFigures(`shutdown while joining behind a dead member (${client})`, stopped);
    expect(stopped).toMatchObject({ code: 0, joinedAfterStop: false, stoppedLogged: true });
  });

  it('when SIGTERM arrives while batches are in flight, then it commits what it finished, exits 0 within the deadline, and a successor neither loses nor repeats an input', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    await produceJson(bootstrap, topics.input, callEvents(3000, 'running', 0, 20));
    const worker = await workers.spawn(env(bootstrap, topics, { INSTANCE_ID: `running-${client}` }));
    await poll('results flowing', async () => ((await metricTotal(worker.url, 'sentiment_results_total')) >= 200 ? true : undefined), 60_000, 100);
    const stopped = await stopAndWatch(worker);
    const successor = await workers.spawn(env(bootstrap, topics, { INSTANCE_ID: `successor-${client}` }));
    const report = await waitForNothingLost(bootstrap, topics, 120_000);
    await successor.stop();
    reportFigures(`shutdown while running (${client})`, { ...stopped, ...summary(report), text: undefined });
    expect(stopped).toMatchObject({ code: 0, joinedAfterStop: false, stoppedLogged: true });
    expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
  });

  it('when SIGTERM arrives while the consumer is restarting after crashes (every outcome refused), then it exits 0 within the deadline and commits nothing it did not deliver', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 1);
    await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', '64');
    await setTopicConfig(bootstrap, topics.dlq, 'max.message.bytes', '64');
    await produceJson(bootstrap, topics.input, callEvents(50, 'crash'));
    const worker = await workers.spawn(env(bootstrap, topics, { INSTANCE_ID: `restarting-${client}` }));
    await poll('repeated consumer crashes', async () => ((await metricTotal(worker.url, 'sentiment_consumer_crashes_total')) >= 2 ? true : undefined), 90_000, 250);
    const phase = (await health(worker.url)).kafka.consumer.state;
    const stopped = await stopAndWatch(worker);
    reportFigures(`shutdown while restarting after crashes (${client})`, { ...stopped, phase });
    expect(stopped).toMatchObject({ code: 0, joinedAfterStop: false, stoppedLogged: true });
  });
});
