import { afterEach, describe, expect, it } from '@jest/globals';
import type { Consumer } from 'kafkajs';
import { describeLedgerReport, ledgerFromTopics, produceJson, testBootstrap, testKafka, uniqueName, kafkaClientsUnderTest } from '@sentiment/testing';
import { createTestTopics, endOffsets, waitFor, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

const EVENTS = 4000;

const texts = [
  'I am so happy with this, thank you!',
  'This is awful and I am angry.',
  'The invoice arrived on Tuesday.',
  'Great support, the agent solved it in minutes.',
];

describe.each(kafkaClientsUnderTest())('exactly-once mode (%s client)', (client) => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill();
  });

  it('when the worker is SIGKILLed mid-stream and restarted with the same instance id, then a read_committed reader sees every result exactly once', async () => {
    const bootstrap = testBootstrap();
    let kills = 0;
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
      // Small produce requests: a transaction takes hundreds of round trips, so there is time to
      // see it open and kill the worker before it commits.
      PRODUCE_MAX_REQUEST_BYTES: '4096',
    });

    // Each partition's backlog is fetched as one batch, so it is one transaction of ~1,300
    // results (hundreds of produce requests). A read_uncommitted watcher sees its records as they
    // are written; the worker is killed once an open transaction holds 100 of them, twice, and
    // after each kill the next instance must abort what the previous one left open.
    const watcher = new UncommittedWatcher(bootstrap, topics.output);
    let stableAtKill = -1;
    await watcher.start();
    try {
      for (let kill = 1; kill <= 2; kill++) {
        const victim = await spawnWorker(env);
        workers.push(victim);
        stableAtKill = await waitFor(
          `an open transaction with 100 records (kill ${kill})`,
          async () => {
            // ListOffsets from kafkajs' admin is read_committed: these are last stable offsets.
            const stable = [...(await endOffsets(bootstrap, topics.output)).values()].reduce((a, b) => a + b, 0);
            // stable > stableAtKill: the previous victim's transaction was aborted, this one is new.
            return stable > stableAtKill && watcher.seen() - stable >= 100 ? stable : undefined;
          },
          90_000,
          10,
        );
        await victim.kill();
        kills++;
      }
    } finally {
      await watcher.stop();
    }

    const second = await spawnWorker(env);
    workers.push(second);
    await waitForOutcomes(bootstrap, topics, EVENTS, 120_000);
    await second.stop();

    const committed = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
    expect(committed.duplicates).toEqual([]);
    expect(committed.lost).toEqual([]);
    expect(committed.unknown).toEqual([]);
    expect(committed.results).toBe(EVENTS);
    expect(committed.deadLetters).toBe(0);

    // Informational: without read_committed a consumer also sees the aborted transaction's records.
    expect(kills).toBe(2);
    const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
    process.stdout.write(
      `exactly-once after SIGKILL: read_committed ${describeLedgerReport(committed)}; ` +
        `read_uncommitted results ${uncommitted.results}, duplicates ${uncommitted.duplicates.length} (aborted records)\n`,
    );
    expect(uncommitted.lost).toEqual([]);
    // The kills did interrupt transactions (>= 100 records each): their records are in the log,
    // only hidden by read_committed.
    expect(uncommitted.results - committed.results).toBeGreaterThanOrEqual(200);
  });
});

/** Counts the records of a topic as a read_uncommitted consumer sees them (open transactions included). */
class UncommittedWatcher {
  private readonly next = new Map<number, number>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly bootstrap: string,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    const consumer = testKafka(this.bootstrap).consumer({ groupId: uniqueName('uncommitted-watcher'), readUncommitted: true, maxWaitTimeInMs: 50 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = Number(batch.lastOffset());
        if (last + 1 > (this.next.get(batch.partition) ?? 0)) this.next.set(batch.partition, last + 1);
      },
    });
  }

  /** Sum over partitions of the next offset to read: records written so far, committed or not. */
  seen(): number {
    return [...this.next.values()].reduce((a, b) => a + b, 0);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
