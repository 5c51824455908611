import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  counterSeries,
  createTopics,
  kafkaClientsUnderTest,
  differingOutcomes,
  ledgerFromTopics,
  outcomeDigests,
  produceJson,
  produceRaw,
  readTopicToEnd,
  uniqueName,
  type KafkaBroker,
  type RawMessage,
} from '@sentiment/testing';
import { waitForOutcomes, workerEnv, type TestTopics } from '../helpers/worker-harness';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures, summary, waitForNothingLost } from '../reliability/helpers/ledger-wait';
import { startInputStream } from '../reliability/helpers/input-stream';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { restartStaticMember } from '../reliability/helpers/static-restart';
import { health, metricTotal, poll } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';
import { startKafka4Broker } from './helpers/kafka4-broker';
import { longestResultGap, waitForShares } from './helpers/group-shares';

jest.setTimeout(240_000);

/*
 * KIP-848 (KAFKA_GROUP_PROTOCOL=consumer) on a Kafka 4.x broker of its own. Platformatic only:
 * kafkajs speaks the classic protocol alone (the configuration refuses the combination).
 */

const samples = (file: string): string[] =>
  readFileSync(path.join(__dirname, '..', '..', '..', '..', '..', 'samples', file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);

let broker: KafkaBroker;
const BACKLOG = 3000;
// KAFKA_TEST_CLIENTS=kafkajs (working on the other adapter) skips these, broker included.
const onPlatformatic = kafkaClientsUnderTest().includes('platformatic');

beforeAll(async () => {
  if (onPlatformatic) broker = await startKafka4Broker();
}, 180_000);

afterAll(async () => {
  await broker?.destroy();
});

(onPlatformatic ? describe : describe.skip)('KIP-848 consumer protocol on Kafka 4.x (platformatic only: kafkajs has no KIP-848)', () => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());
  const env = (topics: TestTopics, protocol: 'classic' | 'consumer', extra: Record<string, string> = {}) =>
    workerEnv(broker.bootstrap, topics, { KAFKA_CLIENT: 'platformatic', KAFKA_GROUP_PROTOCOL: protocol, LOG_LEVEL: 'info', ...extra });

  it('when valid, malformed and traced events go through a KIP-848 worker and a classic one, then both give the same results, dead letters, headers and counters', async () => {
    const bootstrap = broker.bootstrap;
    const input = uniqueName('calls.transcribed');
    await createTopics(bootstrap, [{ topic: input, numPartitions: 3 }]);
    const events: RawMessage[] = [
      ...samples('calls.jsonl').map((line, i) => ({
        key: (JSON.parse(line) as { call_id: string }).call_id,
        value: line,
        ...(i % 3 === 0 ? { headers: { traceparent: `00-${'4bf92f3577b34da6a3ce929d0e0e47'}${String(i).padStart(2, '0')}-00f067aa0ba902b7-01` } } : {}),
      })),
      ...samples('malformed.jsonl').map((line, i) => ({ key: `bad-${i}`, value: line })),
      { key: 'invalid-utf8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      { key: 'empty', value: null },
    ];
    await produceRaw(bootstrap, input, events);
    const runs = await Promise.all(
      (['classic', 'consumer'] as const).map(async (protocol) => {
        const topics = { input, output: uniqueName(`calls.sentiment.${protocol}`), dlq: uniqueName(`calls.dlq.${protocol}`), group: uniqueName(`sentiment-${protocol}`) };
        await createTopics(bootstrap, [{ topic: topics.output, numPartitions: 3 }, { topic: topics.dlq, numPartitions: 1 }]);
        const worker = await workers.spawn(env(topics, protocol, { INSTANCE_ID: `compare-${protocol}` }));
        const { results, deadLetters } = await waitForOutcomes(bootstrap, topics, events.length);
        const counters = counterSeries(await (await fetch(`${worker.url}/metrics`)).text(), 'sentiment_');
        expect(await worker.stop()).toBe(0);
        return { protocol, topics, results, deadLetters, counters, ledger: await ledgerFromTopics(bootstrap, topics) };
      }),
    );
    const [classic, consumer] = runs as [(typeof runs)[number], (typeof runs)[number]];
    reportFigures('KIP-848 and classic on the same input', {
      events: events.length,
      classic: { ...summary(classic.ledger), text: undefined },
      consumer: { ...summary(consumer.ledger), text: undefined },
      counters: consumer.counters,
    });
    for (const run of runs) expect({ protocol: run.protocol, ...summary(run.ledger) }).toMatchObject({ protocol: run.protocol, inputs: events.length, lost: 0, duplicatedInputs: 0, unknown: 0 });
    expect(consumer.deadLetters.length).toBeGreaterThanOrEqual(samples('malformed.jsonl').length);
    expect(differingOutcomes(outcomeDigests(classic.results, classic.deadLetters), outcomeDigests(consumer.results, consumer.deadLetters))).toEqual([]);
    expect(consumer.counters).toEqual(classic.counters);
  });

  it('when workers scale 1 → 2 → 3 and one then leaves gracefully while events stream in, then /health shows each member its own share of the partitions and every input has one outcome', async () => {
    const bootstrap = broker.bootstrap;
    const topics = await createReliabilityTopics(bootstrap, 6);
    const stream = startInputStream(bootstrap, topics.input, { prefix: 'kip848', perSend: 30, everyMs: 100 });
    const shares: Record<string, number[][]> = {};
    const spawn = (name: string) => workers.spawn(env(topics, 'consumer', { INSTANCE_ID: `kip848-${name}`, MAX_IN_FLIGHT_BATCHES: '3' }));
    try {
      const a = await spawn('a');
      shares['a'] = await waitForShares([a], topics.input, 6);
      const b = await spawn('b');
      shares['a+b'] = await waitForShares([a, b], topics.input, 6);
      const c = await spawn('c');
      shares['a+b+c'] = await waitForShares([a, b, c], topics.input, 6);
      const state = (await health(c.url)).kafka.consumer.state;
      await new Promise((r) => setTimeout(r, 2000));
      const leaving = Date.now();
      expect(await a.stop()).toBe(0);
      shares['b+c'] = await waitForShares([b, c], topics.input, 6);
      const tookOverMs = Date.now() - leaving;
      await new Promise((r) => setTimeout(r, 2000));
      const produced = await stream.stop();
      const ended = Date.now();
      const report = await waitForNothingLost(bootstrap, topics, 120_000);
      const instances = new Set((await readTopicToEnd(bootstrap, topics.output)).map((m) => (JSON.parse(String(m.value)) as { worker: { instance?: string } }).worker.instance));
      for (const w of [b, c]) expect(await w.stop()).toBe(0);
      const results = await readTopicToEnd(bootstrap, topics.output);
      reportFigures('KIP-848 scaling 1 -> 2 -> 3, then a graceful leave', {
        producedAcked: produced,
        ...summary(report),
        shares,
        tookOverAfterLeaveMs: tookOverMs,
        // From the first result to the end of the stream, across every join and the leave (printed, not asserted).
        longestResultGapMs: longestResultGap(results, Math.min(...results.map((m) => Number(m.timestamp))), ended).ms,
        instances: [...instances].sort(),
      });
      expect(state).toBe('running');
      expect([...instances].sort()).toEqual(['kip848-a', 'kip848-b', 'kip848-c']);
      // A revoked partition is given up only once its batch in flight has committed: no input twice, even at-least-once.
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
      expect(report.inputs).toBeGreaterThanOrEqual(produced);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      await stream.stop();
    }
  });

  it('when a static member (KAFKA_GROUP_INSTANCE_ID) is stopped with SIGTERM and restarted within the session timeout, then it leaves with epoch -2, gets its partitions back, the other member keeps its own, and nothing is lost', async () => {
    try {
      const { rounds } = await restartStaticMember(broker.bootstrap, workers, { KAFKA_GROUP_PROTOCOL: 'consumer', MAX_IN_FLIGHT_BATCHES: '3' }, ['SIGTERM']);
      const [term] = rounds;
      if (!term) throw new Error('one round expected');
      reportFigures('KIP-848 static member restarted', { ...term, ledger: summary(term.ledger) });
      expect(term.after).toEqual(term.before);
      // Under KIP-848 a member logs a join whenever its assignment changes: none means it was not touched.
      expect(term.otherJoins).toEqual([]);
      expect(summary(term.ledger)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });

  it('when exactly-once workers scale 1 → 2 and the first leaves gracefully mid-stream, then their transactions commit offsets under KIP-848 member epochs and a read_committed reader sees every input once', async () => {
    const bootstrap = broker.bootstrap;
    const topics = await createReliabilityTopics(bootstrap, 6);
    const stream = startInputStream(bootstrap, topics.input, { prefix: 'kip848-eos', perSend: 30, everyMs: 100 });
    const spawn = (name: string) => workers.spawn(env(topics, 'consumer', { INSTANCE_ID: `kip848-eos-${name}`, PROCESSING_MODE: 'exactly-once' }));
    try {
      const a = await spawn('a');
      await waitForShares([a], topics.input, 6);
      await poll('results from the first member', async () => ((await ledgerFromTopics(bootstrap, topics)).results > 0 ? true : undefined), 60_000, 500);
      const b = await spawn('b');
      const shares = await waitForShares([a, b], topics.input, 6);
      // A backlog, so that a leaves while both have transactions in flight and b gains partitions mid-work.
      await produceJson(bootstrap, topics.input, callEvents(BACKLOG, 'kip848-eos-backlog', 0, 4));
      await poll('b busy with the backlog', async () => ((await metricTotal(b.url, 'sentiment_in_flight_batches')) > 0 ? true : undefined), 30_000, 20);
      const crashesOfA = (await health(a.url)).kafka.consumer.crashes;
      expect(await a.stop()).toBe(0);
      await waitForShares([b], topics.input, 6);
      await new Promise((r) => setTimeout(r, 2000));
      const produced = await stream.stop();
      const committed = await waitForNothingLost(bootstrap, topics, 120_000);
      const crashesOfB = (await health(b.url)).kafka.consumer.crashes;
      expect(await b.stop()).toBe(0);
      const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
      reportFigures('KIP-848 exactly-once, 1 -> 2 -> graceful leave', { producedAcked: produced, shares, readCommitted: summary(committed), readUncommitted: { ...summary(uncommitted), text: undefined }, crashes: { a: crashesOfA, b: crashesOfB } });
      expect(summary(committed)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
      // A transaction fenced because its partition moved is given back without restarting the consumer.
      expect({ a: crashesOfA, b: crashesOfB }).toEqual({ a: 0, b: 0 });
      expect(committed.inputs).toBeGreaterThanOrEqual(produced + BACKLOG);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      await stream.stop();
    }
  });
});
