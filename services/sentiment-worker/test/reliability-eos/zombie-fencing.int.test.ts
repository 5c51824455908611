import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type BrokerBehindFaultProxy,
  KafkaApiKeys,
  kafkaClientsUnderTest,
  type KafkaFaultProxy,
  ledgerFromTopics,
  produceJson,
  startBrokerBehindFaultProxy,
  type TxnOffsetCommitMembership,
  txnOffsetCommitMembership,
} from '@sentiment/testing';
import { committedOffsets, endOffsets, workerEnv, type TestTopics } from '../helpers/worker-harness';
import type { WorkerProcess } from '../helpers/worker-process';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures, summary } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { assignedPartitions, poll, readyStatus } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';
import { workerLogLines } from '../helpers/worker-log-lines';

jest.setTimeout(240_000);

/*
 * A zombie in exactly-once mode (KIP-447). The worker runs behind a Kafka-aware proxy that holds
 * its TxnOffsetCommit: the transaction has written its results but not yet committed the input
 * offsets. Then the proxy holds its heartbeats too, as in a long GC pause or a network partition:
 * its session expires, a successor takes its partitions and writes and commits every outcome.
 * When the held TxnOffsetCommit finally reaches the coordinator, only the group membership it
 * carries (generation and member id) can tell the coordinator that it comes from a member that
 * is no longer one. With them, it is refused and the zombie's transaction is aborted; without
 * them (kafkajs 2.2.4 sends the group id only), it is accepted and the zombie's results become
 * visible a second time.
 */

const EVENTS = 300;
const SESSION_TIMEOUT_MS = 6000;

let proxied: BrokerBehindFaultProxy;
let proxy: KafkaFaultProxy;
let bootstrap: string;

beforeAll(async () => {
  proxied = await startBrokerBehindFaultProxy();
  ({ proxy, bootstrap } = proxied);
  proxy.recordRequests(KafkaApiKeys.TxnOffsetCommit);
}, 180_000);

afterAll(async () => {
  await proxied?.close();
});

interface LogLine {
  message?: string;
  memberId?: string;
  generationId?: number;
  error?: { message?: string; details?: { kafkaErrorType?: string } };
}

const logLines = (worker: WorkerProcess): LogLine[] => workerLogLines<LogLine>(worker);

/** Waits until the group has committed every input offset (the successor's transactions). */
async function waitForGroupCaughtUp(topics: TestTopics): Promise<void> {
  const ends = await endOffsets(bootstrap, topics.input);
  await poll(
    `group ${topics.group} to commit every input offset`,
    async () => {
      const committed = await committedOffsets(bootstrap, topics.group, topics.input);
      return [...ends].every(([p, end]) => (committed.get(p) ?? -1) >= end) ? true : undefined;
    },
    120_000,
    500,
  );
}

interface ZombieRun {
  topics: TestTopics;
  zombie: WorkerProcess;
  /** The TxnOffsetCommit the proxy held, decoded. */
  held: TxnOffsetCommitMembership;
}

/**
 * Runs the scenario up to the moment the held request is released. Held TxnOffsetCommit: released
 * once the successor has committed every input. Held EndTxn (the offsets are pending in the open
 * transaction): released a few seconds after the successor holds every partition.
 */
async function runZombie(client: 'kafkajs' | 'platformatic', workers: WorkerProcesses, hold: 'TxnOffsetCommit' | 'EndTxn' = 'TxnOffsetCommit'): Promise<ZombieRun & { successor: WorkerProcess }> {
  const topics = await createReliabilityTopics(bootstrap, 3);
  const zombieId = `zombie-${client}-${hold}`;
  const env = (id: string) =>
    workerEnv(bootstrap, topics, {
      KAFKA_CLIENT: client,
      PROCESSING_MODE: 'exactly-once',
      INSTANCE_ID: id,
      KAFKA_CLIENT_ID: id,
      KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
      // The held request must not time out on the client before it is released.
      KAFKA_REQUEST_TIMEOUT_MS: '90000',
      LOG_LEVEL: 'info',
    });
  const zombie = await workers.spawn(env(zombieId));
  await poll('the zombie-to-be /ready 200', async () => ((await readyStatus(zombie.url)) === 200 ? true : undefined), 90_000);
  const txnOffsetCommits = proxy.recorded(KafkaApiKeys.TxnOffsetCommit).length;
  const held = proxy.holdRequests(KafkaApiKeys[hold], { clientId: zombieId, times: 1 });
  await produceJson(bootstrap, topics.input, callEvents(EVENTS, zombieId));
  await held.first;
  // Its results are written in the open transaction; from now on the coordinator hears nothing from
  // it (the heartbeats stay held to the end: it must not learn it was expelled before its transaction ends).
  proxy.holdRequests(KafkaApiKeys.Heartbeat, { clientId: zombieId });
  const successor = await workers.spawn(env(`successor-${client}-${hold}`));
  if (hold === 'TxnOffsetCommit') {
    await waitForGroupCaughtUp(topics);
    expect(await successor.stop()).toBe(0);
  } else {
    await poll('the successor to hold every partition', async () => ((await assignedPartitions(successor.url, topics.input)).length === 3 ? true : undefined), 60_000, 250);
    await new Promise((r) => setTimeout(r, 3000));
  }
  held.release();
  // The zombie's TxnOffsetCommit: the held one, or the one that went through before the held EndTxn.
  const request = proxy.recorded(KafkaApiKeys.TxnOffsetCommit).slice(txnOffsetCommits).find((r) => r.header.clientId === zombieId);
  const membership = request && txnOffsetCommitMembership(request.frame);
  if (!membership) throw new Error(`no TxnOffsetCommit from ${zombieId} was recorded`);
  return { topics, zombie, successor, held: membership };
}

const clients = kafkaClientsUnderTest();
const onPlatformatic = clients.includes('platformatic') ? it : it.skip;
const onKafkajs = clients.includes('kafkajs') ? it : it.skip;

describe('a zombie member in exactly-once mode (KIP-447)', () => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());

  onPlatformatic('when a member whose session expired sends its held TxnOffsetCommit after a successor committed the same inputs, then the coordinator refuses it (platformatic sends generation and member id), the zombie aborts, and read_committed readers see each input once', async () => {
    try {
      const { topics, zombie, held } = await runZombie('platformatic', workers);
      const refused = await poll(
        'the zombie to be refused',
        async () => logLines(zombie).find((l) => /TxnOffsetCommit failed/.test(l.error?.message ?? '')),
        60_000,
        250,
      );
      // The refusal makes it give the batch back; the aborts are done before it restarts its consumer.
      await poll('the zombie to give the batch back', async () => (logLines(zombie).some((l) => l.message === 'batch failed; it will be consumed again') ? true : undefined), 60_000, 250);
      const joined = logLines(zombie).filter((l) => l.message === 'joined consumer group');
      expect(await zombie.stop()).toBe(0);
      const committed = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
      const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
      reportFigures('zombie fencing (platformatic)', {
        heldTxnOffsetCommit: held,
        zombieMembership: joined.map((l) => ({ generationId: l.generationId, memberId: l.memberId })),
        refusedWith: refused.error?.details?.kafkaErrorType,
        readCommitted: summary(committed),
        readUncommitted: { ...summary(uncommitted), text: undefined },
      });
      // The request carried the membership the zombie had joined with...
      expect(held.apiVersion).toBeGreaterThanOrEqual(3);
      expect(joined).toContainEqual(expect.objectContaining({ generationId: held.generationId, memberId: held.memberId }));
      expect(held.generationId).toBeGreaterThan(0);
      // ...and the coordinator fenced it with it.
      expect(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']).toContain(refused.error?.details?.kafkaErrorType);
      expect(summary(committed)).toMatchObject({ inputs: EVENTS, lost: 0, duplicatedInputs: 0, unknown: 0 });
      // The zombie did write its results: they are in the log, in its aborted transaction.
      expect(summary(uncommitted).duplicatedInputs).toBeGreaterThan(0);
      // A fenced batch is given back as it is: nothing is wrong with its inputs, so none is dead-lettered, not even in an aborted transaction.
      expect(uncommitted.deadLetters).toBe(0);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });

  onPlatformatic('when a member\'s session expires while its transaction is committing (offsets pending, EndTxn held), then its successor waits for the transaction (require_stable) instead of starting behind it, and read_committed readers see each input once', async () => {
    try {
      const { topics, zombie, successor } = await runZombie('platformatic', workers, 'EndTxn');
      await waitForGroupCaughtUp(topics);
      // The zombie commits nothing more: it is out of the group (every later TxnOffsetCommit is fenced).
      expect(await successor.stop()).toBe(0);
      expect(await zombie.stop()).toBe(0);
      const committed = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
      reportFigures('new owner behind a committing transaction (platformatic)', { readCommitted: summary(committed) });
      expect(summary(committed)).toMatchObject({ inputs: EVENTS, lost: 0, duplicatedInputs: 0, unknown: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });

  onKafkajs('when the same zombie runs on kafkajs (no KIP-447: its TxnOffsetCommit carries the group id only), then the coordinator accepts it and read_committed readers see its inputs twice, which is why exactly-once needs platformatic against zombies', async () => {
    try {
      const { topics, zombie, held } = await runZombie('kafkajs', workers);
      const duplicated = await poll(
        "the zombie's transaction to commit",
        async () => {
          const r = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
          return r.duplicates.length > 0 ? r : undefined;
        },
        60_000,
        1000,
      );
      // Heartbeats are still held, so it starts no further transaction: SIGKILL leaves none open.
      await zombie.kill();
      reportFigures('zombie fencing (kafkajs)', { heldTxnOffsetCommit: held, readCommitted: { ...summary(duplicated), text: undefined } });
      expect(held).toMatchObject({ generationId: -1, memberId: '' });
      expect(summary(duplicated)).toMatchObject({ inputs: EVENTS, lost: 0, unknown: 0 });
      expect(summary(duplicated).duplicatedInputs).toBeGreaterThan(0);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
