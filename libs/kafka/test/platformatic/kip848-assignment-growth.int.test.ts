import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { silentLogger } from '@sentiment/observability';
import {
  consumerGroupTimingProperties,
  createTopics,
  kafkaClientsUnderTest,
  NEWEST_VERIFIED_KAFKA_VERSION,
  produceRaw,
  startKafkaBroker,
  uniqueName,
  waitFor,
  type KafkaBroker,
} from '@sentiment/testing';
import { createKafkaPort, type BatchConsumer, type ConsumedBatch } from '@sentiment/kafka';

jest.setTimeout(180_000);

/*
 * @platformatic/kafka re-reads the committed offsets of every partition it holds whenever a
 * KIP-848 assignment grows, so the records of a batch still in flight on a partition it kept
 * are fetched a second time. Found as duplicated inputs (two committed transactions for one
 * input) when an exactly-once worker took over a leaving member's partitions mid-backlog.
 * Platformatic only: kafkajs has no KIP-848.
 */

let broker: KafkaBroker;
const onPlatformatic = kafkaClientsUnderTest().includes('platformatic');

beforeAll(async () => {
  if (onPlatformatic) {
    broker = await startKafkaBroker({
      version: NEWEST_VERIFIED_KAFKA_VERSION,
      properties: consumerGroupTimingProperties({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 }),
    });
  }
}, 180_000);

afterAll(async () => {
  await broker?.destroy();
});

/** Reads a consumer's batches as the worker does; commits and releases each, except those `hold` keeps back. */
function readBatches(consumer: BatchConsumer) {
  const seen: { partition: number; offsets: number[] }[] = [];
  const held: ConsumedBatch[] = [];
  const control = { hold: (_batch: ConsumedBatch): boolean => false };
  const done = (async () => {
    for await (const batch of consumer.batches()) {
      seen.push({ partition: batch.partition, offsets: batch.messages.map((m) => Number(m.offset)) });
      if (control.hold(batch)) {
        held.push(batch);
        continue;
      }
      await batch.commit();
      batch.release();
    }
  })();
  const offsetsOf = (partition: number) => seen.filter((b) => b.partition === partition).flatMap((b) => b.offsets);
  return { seen, held, control, done, offsetsOf };
}

const until = <T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> => waitFor(what, probe, timeoutMs, 100);

const assigned = (consumer: BatchConsumer, topic: string): number[] => consumer.getState().assignment[topic] ?? [];

/** A two-partition topic, a producer of tagged records to one partition, and KIP-848 members of one group that close after the tests. */
async function twoPartitionGroup(name: string, consumers: BatchConsumer[]) {
  const bootstrap = broker.bootstrap;
  const topic = uniqueName(name);
  const groupId = uniqueName(`${name}-group`);
  await createTopics(bootstrap, [{ topic, numPartitions: 2 }]);
  const produce = (partition: number, n: number, tag: string) =>
    produceRaw(bootstrap, topic, Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, value: `${tag}-${i}`, partition })));
  const port = createKafkaPort('platformatic', { clientId: name, brokers: [bootstrap] }, silentLogger);
  const member = (memberName: string) => {
    const consumer = port.createConsumer({ groupId, topics: [topic], groupProtocol: 'consumer', fromBeginning: true, maxInFlightBatches: 2 }, silentLogger.child({ name: memberName }));
    consumers.push(consumer);
    return consumer;
  };
  return { topic, produce, member };
}

(onPlatformatic ? describe : describe.skip)('platformatic adapter under KIP-848 (platformatic only: kafkajs has no KIP-848)', () => {
  const consumers: BatchConsumer[] = [];
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.close({ timeoutMs: 5_000 })));
  });

  it('when a member gains a partition while a batch of a partition it keeps is in flight, then the records the client fetches again are not handed out a second time', async () => {
    const { topic, produce, member } = await twoPartitionGroup('kip848-growth', consumers);
    await Promise.all([produce(0, 20, 'p0'), produce(1, 20, 'p1')]);

    const a = member('a');
    await a.start();
    const readA = readBatches(a);
    await until('a to read both partitions', () => (readA.offsetsOf(0).length === 20 && readA.offsetsOf(1).length === 20 ? true : undefined));

    // b takes one partition; a keeps the other.
    const b = member('b');
    await b.start();
    const readB = readBatches(b);
    const kept = await until('a to give one partition to b', () => {
      const mine = assigned(a, topic);
      return mine.length === 1 && assigned(b, topic).length === 1 ? mine[0] : undefined;
    });
    const moved = 1 - (kept as number);

    // A batch of the kept partition, held in flight (uncommitted), and more records behind it.
    readA.control.hold = (batch) => batch.partition === kept;
    await produce(kept as number, 30, 'kept');
    await until('a batch of the kept partition in flight', () => (readA.held.length > 0 ? true : undefined));
    await produce(kept as number, 10, 'kept-behind');

    // b leaves: a's assignment grows, and the client re-reads the committed offset of the kept partition too.
    await b.close({ timeoutMs: 10_000 });
    await readB.done;
    await until('a to hold both partitions again', () => (assigned(a, topic).length === 2 ? true : undefined));
    await produce(moved, 5, 'moved-after');
    await until('a batch of the regained partition', () => (readA.offsetsOf(moved).length > 20 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_500));

    readA.control.hold = () => false;
    for (const batch of readA.held.splice(0)) {
      await batch.commit();
      batch.release();
    }
    await produce(kept as number, 5, 'kept-after');
    const last = 20 + 30 + 10 + 5 - 1;
    await until('a to reach the last record of the kept partition', () => (readA.offsetsOf(kept as number).includes(last) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_500));

    const keptOffsets = [...readA.offsetsOf(kept as number), ...readB.offsetsOf(kept as number)];
    const twice = keptOffsets.filter((o, i) => keptOffsets.indexOf(o) !== i);
    expect({ twice, count: keptOffsets.length }).toEqual({ twice: [], count: last + 1 });
    expect([...keptOffsets].sort((x, y) => x - y)).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
    const movedOffsets = [...readA.offsetsOf(moved), ...readB.offsetsOf(moved)];
    expect({ unique: new Set(movedOffsets).size, count: movedOffsets.length }).toEqual({ unique: 25, count: 25 });
  });

  it('when a partition is revoked while a batch of it is in flight, then the coordinator gives it to the new member only after that batch committed, and the new member starts after it', async () => {
    const { topic, produce, member } = await twoPartitionGroup('kip848-revoke', consumers);
    const a = member('a');
    await a.start();
    const readA = readBatches(a);
    await until('a to own both partitions', () => (assigned(a, topic).length === 2 ? true : undefined));
    // One batch of each partition held in flight: whichever partition b is given, a is still busy with it.
    readA.control.hold = () => true;
    await Promise.all([produce(0, 20, 'p0'), produce(1, 20, 'p1')]);
    await until('a batch of each partition in flight', () => (new Set(readA.held.map((b) => b.partition)).size === 2 ? true : undefined));

    const b = member('b');
    await b.start();
    const readB = readBatches(b);
    const revoked = await until('a to be asked for one partition', () => (assigned(a, topic).length === 1 ? 1 - (assigned(a, topic)[0] as number) : undefined));
    await new Promise((r) => setTimeout(r, 4_000));
    const whileHeld = { b: assigned(b, topic), bRead: readB.seen.length };

    readA.control.hold = () => false;
    for (const batch of readA.held.splice(0)) {
      await batch.commit();
      batch.release();
    }
    await until('b to get the revoked partition', () => (assigned(b, topic).includes(revoked) ? true : undefined), 30_000);
    await produce(revoked, 5, 'after');
    await until('b to read the records produced after', () => (readB.offsetsOf(revoked).length >= 5 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_000));

    expect(whileHeld).toEqual({ b: [], bRead: 0 });
    const offsets = [...readA.offsetsOf(revoked), ...readB.offsetsOf(revoked)];
    expect({ count: offsets.length, unique: new Set(offsets).size }).toEqual({ count: 25, unique: 25 });
    // b started where a's committed batch ended, not at the offset before it.
    expect(Math.min(...readB.offsetsOf(revoked))).toBe(Math.max(...readA.offsetsOf(revoked)) + 1);
  });
});
