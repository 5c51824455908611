import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import { headerText, ledgerFromTopics, produceJson, readTopicToEnd, testBootstrap, type ProducedRef, kafkaClientsUnderTest } from '@sentiment/testing';
import { committedOffsets, endOffsets, workerEnv, type TestTopics } from '../helpers/worker-harness';
import { callEvents } from './helpers/call-events';
import { createReliabilityTopics } from './helpers/test-topics';
import { ledgerFigures, reportFigures, summary, waitForNothingLost } from './helpers/ledger-wait';
import { setTopicConfig } from './helpers/topic-config';
import { metricTotal, poll, readyStatus } from './helpers/worker-probes';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(180_000);

const PER_PHASE = 300;
const MAX_ATTEMPTS = 3;
/** Kafka's default for a topic: what the output topic goes back to after the fault. */
const DEFAULT_MAX_MESSAGE_BYTES = '1048588';

const refKey = (r: { partition: number; offset: string }) => `${r.partition}/${r.offset}`;

async function waitForAllCommitted(bootstrap: string, topics: TestTopics): Promise<void> {
  await poll('the group to commit every input offset', async () => {
    const [ends, committed] = await Promise.all([endOffsets(bootstrap, topics.input), committedOffsets(bootstrap, topics.group, topics.input)]);
    return [...ends].every(([p, end]) => end === 0 || committed.get(p) === end) ? true : undefined;
  }, 60_000, 500);
}

describe.each(kafkaClientsUnderTest())('producing results fails (%s client)', (client) => {
  const workers = new WorkerProcesses();

  afterAll(async () => {
    await workers.killAll();
  });

  it('when the output topic rejects every result for a while, then each of those inputs gets its own RESULT_TOO_LARGE dead letter, none is skipped, and results flow again after', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    const worker = await workers.spawn(
      workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, PRODUCE_MAX_ATTEMPTS: String(MAX_ATTEMPTS), PRODUCE_RETRY_BACKOFF_MS: '50', INSTANCE_ID: `produce-fault-${client}`, LOG_LEVEL: 'info' }),
    );
    let restored = false;
    try {
      await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);

      // Healthy: results flow.
      const before = await produceJson(bootstrap, topics.input, callEvents(PER_PHASE, 'before'));
      expect(summary(await waitForNothingLost(bootstrap, topics, 60_000))).toMatchObject({ lost: 0 });
      expect(await metricTotal(worker.url, 'sentiment_produce_retries_total')).toBe(0);

      // The fault: the broker rejects any record batch on the output topic (MESSAGE_TOO_LARGE).
      await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', '64');
      const during = await produceJson(bootstrap, topics.input, callEvents(PER_PHASE, 'during'));
      const duringReport = await waitForNothingLost(bootstrap, topics, 90_000);
      await waitForAllCommitted(bootstrap, topics);
      const retries = await metricTotal(worker.url, 'sentiment_produce_retries_total');
      const tooLargeMetric = await metricTotal(worker.url, 'sentiment_dead_letters_total', /reason="RESULT_TOO_LARGE"/);

      // The fault ends: results flow again.
      await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES);
      restored = true;
      const after = await produceJson(bootstrap, topics.input, callEvents(PER_PHASE, 'after'));
      const report = await waitForNothingLost(bootstrap, topics, 60_000);
      await waitForAllCommitted(bootstrap, topics);
      expect(await worker.stop()).toBe(0);

      const deadLetters = await readTopicToEnd(bootstrap, topics.dlq);
      const results = await readTopicToEnd(bootstrap, topics.output);
      const resultSources = new Set(results.map((m) => {
        const source = (JSON.parse(String(m.value)) as { source: { partition: number; offset: number | string } }).source;
        return refKey({ partition: source.partition, offset: String(source.offset) });
      }));
      const dlqByRef = new Map(deadLetters.map((m) => [refKey({ partition: Number(headerText(m, DeadLetterHeaders.sourcePartition)), offset: headerText(m, DeadLetterHeaders.sourceOffset) ?? '' }), m]));
      const outcomeOf = (refs: ProducedRef[]) => ({
        results: refs.filter((r) => resultSources.has(refKey(r))).length,
        deadLetters: refs.filter((r) => dlqByRef.has(refKey(r))).length,
      });

      reportFigures('produce failure', {
        perPhase: PER_PHASE,
        maxAttempts: MAX_ATTEMPTS,
        produceRetries: retries,
        resultTooLargeDeadLetters: tooLargeMetric,
        before: outcomeOf(before),
        during: outcomeOf(during),
        after: outcomeOf(after),
        duringFault: ledgerFigures(duringReport),
        ...ledgerFigures(report),
      });
      expect(summary(duringReport)).toMatchObject({ lost: 0, unknown: 0 });
      expect(summary(report)).toMatchObject({ lost: 0, unknown: 0 });
      // A refusal that cannot heal (the broker's MESSAGE_TOO_LARGE) is not retried.
      expect(retries).toBe(0);
      expect(outcomeOf(before)).toEqual({ results: PER_PHASE, deadLetters: 0 });
      // Every input that arrived during the fault was dead-lettered, with its own reason and the original bytes.
      expect(outcomeOf(during)).toEqual({ results: 0, deadLetters: PER_PHASE });
      expect(tooLargeMetric).toBe(PER_PHASE);
      for (const ref of during) {
        const dead = dlqByRef.get(refKey(ref));
        expect(dead && headerText(dead, DeadLetterHeaders.reason)).toBe('RESULT_TOO_LARGE');
        expect(JSON.parse(String(dead?.value))).toMatchObject({ call_id: expect.stringMatching(/^during-/) });
      }
      expect(outcomeOf(after)).toEqual({ results: PER_PHASE, deadLetters: 0 });
      expect(report.duplicates).toEqual([]);
      const final = await ledgerFromTopics(bootstrap, topics);
      expect(final.inputs).toBe(3 * PER_PHASE);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      if (!restored) await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES).catch(() => undefined);
    }
  });

  it('when neither a result nor a dead letter can be produced, then the offsets stay put and every input gets its outcome once the fault ends', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    const worker = await workers.spawn(
      workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, PRODUCE_MAX_ATTEMPTS: String(MAX_ATTEMPTS), PRODUCE_RETRY_BACKOFF_MS: '50', INSTANCE_ID: `produce-blocked-${client}`, LOG_LEVEL: 'info' }),
    );
    let restored = false;
    try {
      await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);
      await produceJson(bootstrap, topics.input, callEvents(PER_PHASE, 'before'));
      expect(summary(await waitForNothingLost(bootstrap, topics, 60_000))).toMatchObject({ lost: 0 });
      await waitForAllCommitted(bootstrap, topics);
      const committedBefore = await committedOffsets(bootstrap, topics.group, topics.input);

      // Both the output and the dead-letter topic reject everything.
      await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', '64');
      await setTopicConfig(bootstrap, topics.dlq, 'max.message.bytes', '64');
      const blocked = await produceJson(bootstrap, topics.input, callEvents(PER_PHASE, 'blocked'));
      // The dead-letter topic refusing a dead letter stops the partition visibly: the batch fails
      // (a consumer crash), is fetched again, and fails again, round after round.
      const crashesDuringFault = await poll('repeated failed batches', async () => {
        const n = await metricTotal(worker.url, 'sentiment_consumer_crashes_total');
        return n >= 3 ? n : undefined;
      }, 60_000, 250);
      const committedDuringFault = await committedOffsets(bootstrap, topics.group, topics.input);
      const outcomesDuringFault = (await readTopicToEnd(bootstrap, topics.output)).length + (await readTopicToEnd(bootstrap, topics.dlq)).length;

      await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES);
      await setTopicConfig(bootstrap, topics.dlq, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES);
      restored = true;
      const restoredAt = Date.now();
      const report = await waitForNothingLost(bootstrap, topics, 120_000);
      const recoveredMs = Date.now() - restoredAt;
      await waitForAllCommitted(bootstrap, topics);
      expect(worker.child.exitCode).toBeNull();
      const crashes = await metricTotal(worker.url, 'sentiment_consumer_crashes_total');
      const restarts = await metricTotal(worker.url, 'sentiment_consumer_restarts_total');
      expect(await worker.stop()).toBe(0);

      reportFigures('produce blocked (results and dead letters)', {
        perPhase: PER_PHASE,
        consumerCrashesDuringFault: crashesDuringFault,
        outcomesDuringFault,
        consumerCrashes: crashes,
        consumerRestarts: restarts,
        recoveredAfterRestoreMs: recoveredMs,
        ...ledgerFigures(report),
      });
      // Nothing of the blocked inputs reached a topic, and the group did not commit past them.
      expect(outcomesDuringFault).toBe(PER_PHASE);
      expect(Object.fromEntries(committedDuringFault)).toEqual(Object.fromEntries(committedBefore));
      expect(summary(report)).toMatchObject({ lost: 0, unknown: 0 });
      expect(report.inputs).toBe(2 * PER_PHASE);
      expect(blocked).toHaveLength(PER_PHASE);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      if (!restored) {
        await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES).catch(() => undefined);
        await setTopicConfig(bootstrap, topics.dlq, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES).catch(() => undefined);
      }
    }
  });
});
