import { afterEach, describe, expect, it } from '@jest/globals';
import { describeLedgerReport, ledgerFromTopics, produceJson, testBootstrap } from '@sentiment/testing';
import { createTestTopics, endOffsets, waitFor, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

const EVENTS = 4000;

const texts = [
  'I am so happy with this, thank you!',
  'This is awful and I am angry.',
  'The invoice arrived on Tuesday.',
  'Great support, the agent solved it in minutes.',
];

describe('exactly-once mode', () => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill();
  });

  it('when the worker is SIGKILLed mid-stream and restarted with the same instance id, then a read_committed reader sees every result exactly once', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 3);
    await produceJson(
      bootstrap,
      topics.input,
      Array.from({ length: EVENTS }, (_, i) => ({ key: `call-${i}`, value: { call_id: `call-${i}`, text: texts[i % texts.length] } })),
    );
    const env = workerEnv(bootstrap, topics, {
      PROCESSING_MODE: 'exactly-once',
      // The same instance id gives the same transactional id: the restarted worker fences the
      // killed one and aborts its open transaction (KIP-98 zombie fencing).
      INSTANCE_ID: 'eos-a',
      LOG_LEVEL: 'warn',
      // Small produce requests: a transaction takes hundreds of round trips, long enough to be
      // killed in the middle of one.
      PRODUCE_MAX_REQUEST_BYTES: '4096',
    });

    // Each partition's backlog is fetched as one batch, so it is one transaction of ~1,300
    // results (2-3 s with the small produce requests above). Two kills, each about a second
    // into a transaction that follows a committed one: the next instance must abort it.
    for (const committedTransactions of [1, 2]) {
      const victim = await spawnWorker(env);
      workers.push(victim);
      await waitFor(
        `${committedTransactions} committed transaction(s)`,
        async () => {
          // ListOffsets from kafkajs' admin is read_committed: these are last stable offsets.
          const ends = await endOffsets(bootstrap, topics.output);
          return [...ends.values()].filter((o) => o > 0).length >= committedTransactions ? true : undefined;
        },
        90_000,
        20,
      );
      await new Promise((r) => setTimeout(r, 800));
      await victim.kill();
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
    const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
    process.stdout.write(
      `exactly-once after SIGKILL: read_committed ${describeLedgerReport(committed)}; ` +
        `read_uncommitted results ${uncommitted.results}, duplicates ${uncommitted.duplicates.length} (aborted records)\n`,
    );
    expect(uncommitted.lost).toEqual([]);
    // The kills did interrupt transactions: their records are in the log, only hidden by read_committed.
    expect(uncommitted.results).toBeGreaterThan(committed.results);
  });
});
