import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type BrokerBehindFaultProxy,
  describeLedgerReport,
  KafkaApiKeys,
  kafkaClientsUnderTest,
  type KafkaFaultProxy,
  ledgerFromTopics,
  produceJson,
  startBrokerBehindFaultProxy,
} from '@sentiment/testing';
import { createTestTopics, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(300_000);

const EVENTS = 4000;
const KILLS = 2;

const texts = [
  'I am so happy with this, thank you!',
  'This is awful and I am angry.',
  'The invoice arrived on Tuesday.',
  'Great support, the agent solved it in minutes.',
];

// A broker of its own behind a Kafka-aware proxy, so the kill lands at a precise step: the proxy
// holds the worker's EndTxn, i.e. a transaction whose results and offsets are all written but not
// committed, and the worker is SIGKILLed right then. Whatever the client's speed, every kill
// interrupts an open transaction.
let proxied: BrokerBehindFaultProxy;
let proxy: KafkaFaultProxy;
let bootstrap: string;

beforeAll(async () => {
  proxied = await startBrokerBehindFaultProxy();
  ({ proxy, bootstrap } = proxied);
}, 180_000);

afterAll(async () => {
  await proxied?.close();
});

describe.each(kafkaClientsUnderTest())('exactly-once mode (%s client)', (client) => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill();
  });

  it('when the worker is SIGKILLed with a transaction open and restarted with the same instance id, then a read_committed reader sees every result exactly once', async () => {
    const topics = await createTestTopics(bootstrap, 3);
    await produceJson(
      bootstrap,
      topics.input,
      Array.from({ length: EVENTS }, (_, i) => ({ key: `call-${i}`, value: { call_id: `call-${i}`, text: texts[i % texts.length] } })),
    );
    const env = workerEnv(bootstrap, topics, {
      KAFKA_CLIENT: client,
      PROCESSING_MODE: 'exactly-once',
      // The same instance id gives the same transactional id: the restarted worker fences the
      // killed one and aborts its open transaction (KIP-98 zombie fencing).
      INSTANCE_ID: `eos-a-${client}`,
      LOG_LEVEL: 'warn',
    });

    try {
    for (let kill = 1; kill <= KILLS; kill++) {
      const held = proxy.holdRequests(KafkaApiKeys.EndTxn, { times: 1 });
      const victim = await spawnWorker(env);
      workers.push(victim);
      await held.first;
      await victim.kill();
      proxy.dropHeld();
    }

    const last = await spawnWorker(env);
    workers.push(last);
    await waitForOutcomes(bootstrap, topics, EVENTS, 120_000);
    expect(await last.stop()).toBe(0);
    } catch (err) {
      for (const w of workers) process.stderr.write(`--- worker (pid ${w.child.pid}) ---\n${w.output().slice(-6000)}\n`);
      throw err;
    }

    const committed = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
    const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
    process.stdout.write(
      `exactly-once after ${KILLS} SIGKILLs with a transaction open (${client}): read_committed ${describeLedgerReport(committed)}; ` +
        `read_uncommitted results ${uncommitted.results}, duplicates ${uncommitted.duplicates.length} (records of the aborted transactions)\n`,
    );
    expect(committed.duplicates).toEqual([]);
    expect(committed.lost).toEqual([]);
    expect(committed.unknown).toEqual([]);
    expect(committed.results).toBe(EVENTS);
    expect(committed.deadLetters).toBe(0);
    expect(uncommitted.lost).toEqual([]);
    // Each kill interrupted a transaction whose records are in the log, hidden by read_committed.
    expect(uncommitted.results - committed.results).toBeGreaterThanOrEqual(KILLS);
  });
});
