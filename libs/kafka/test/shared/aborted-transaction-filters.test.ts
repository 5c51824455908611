import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// The aborted-transaction filters of both clients, as patched (patches/*.patch), fed the same
// partition logs. Expected outcomes come from how each log was written (which transaction every
// record belongs to, and how it ended), not from a second implementation of the filter.

interface LogBatch {
  producerId: number;
  firstOffset: number;
  /** Data records in the batch; control batches hold one marker. */
  count: number;
  kind: 'transactional' | 'plain' | 'abort-marker' | 'commit-marker';
  /** For data: whether a read_committed reader must see it. */
  visible: boolean;
}

interface PartitionLog {
  batches: LogBatch[];
  /** As the broker lists them: in the order of their abort markers, not by first offset. */
  aborted: { producerId: number; firstOffset: number }[];
}

/**
 * Transactions from several producers interleaved in one partition, as a librdkafka producer with
 * five transactional ids writes them, with plain (idempotent) records between them.
 */
function interleavedLog(options: { producers: number; transactions: number; perTransaction: number; abortEvery: number; endInReverse: boolean; truncateMarkers?: boolean }): PartitionLog {
  const batches: LogBatch[] = [];
  const aborted: { producerId: number; firstOffset: number }[] = [];
  let offset = 0;
  const plainProducer = 1000;
  for (let round = 0; round * options.producers < options.transactions; round++) {
    const open: { producerId: number; firstOffset: number; abort: boolean; batchIndexes: number[] }[] = [];
    for (let p = 0; p < options.producers && round * options.producers + p < options.transactions; p++) {
      const n = round * options.producers + p;
      open.push({ producerId: p + 1, firstOffset: -1, abort: n % options.abortEvery === options.abortEvery - 1, batchIndexes: [] });
    }
    // Records of the open transactions go out in small batches, alternating producers.
    for (let sent = 0; sent < options.perTransaction; sent += 10) {
      for (const tx of open) {
        if (tx.firstOffset < 0) tx.firstOffset = offset;
        tx.batchIndexes.push(batches.length);
        batches.push({ producerId: tx.producerId, firstOffset: offset, count: 10, kind: 'transactional', visible: !tx.abort });
        offset += 10;
      }
      batches.push({ producerId: plainProducer, firstOffset: offset, count: 5, kind: 'plain', visible: true });
      offset += 5;
    }
    const ending = options.endInReverse ? [...open].reverse() : open;
    for (const tx of ending) {
      if (tx.abort) aborted.push({ producerId: tx.producerId, firstOffset: tx.firstOffset });
      if (options.truncateMarkers) continue;
      batches.push({ producerId: tx.producerId, firstOffset: offset, count: 1, kind: tx.abort ? 'abort-marker' : 'commit-marker', visible: false });
      offset += 1;
    }
  }
  return { batches, aborted };
}

function visibleOffsets(log: PartitionLog): number[] {
  return log.batches.filter((b) => b.visible).flatMap((b) => Array.from({ length: b.count }, (_, i) => b.firstOffset + i));
}

const markerKey = (kind: LogBatch['kind']) => Buffer.from([0, 0, 0, kind === 'abort-marker' ? 0 : 1]);

/* eslint-disable @typescript-eslint/no-require-imports */
function kafkajsFilter(log: PartitionLog): number[] {
  const filter = require('kafkajs/src/consumer/filterAbortedMessages') as (input: { messages: unknown[]; abortedTransactions: unknown[] }) => { offset: string; isControlRecord: boolean }[];
  const messages = log.batches.flatMap((b) =>
    Array.from({ length: b.count }, (_, i) => ({
      offset: String(b.firstOffset + i),
      key: b.kind.endsWith('marker') ? markerKey(b.kind) : Buffer.from(`k${b.firstOffset + i}`),
      isControlRecord: b.kind.endsWith('marker'),
      batchContext: { producerId: String(b.producerId), inTransaction: b.kind !== 'plain', firstOffset: String(b.firstOffset), lastOffsetDelta: b.count - 1 },
    })),
  );
  const kept = filter({ messages, abortedTransactions: log.aborted.map((a) => ({ producerId: String(a.producerId), firstOffset: String(a.firstOffset) })) });
  return kept.filter((m) => !m.isControlRecord).map((m) => Number(m.offset));
}

interface PlatformaticBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  attributes: number;
  producerId: bigint;
  records: { offsetDelta: number; key: Buffer }[];
}

function platformaticFilter(log: PartitionLog): number[] {
  const { createRequire } = process.getBuiltinModule('node:module');
  const nativeRequire = createRequire(__filename);
  const consumerJs = join(dirname(nativeRequire.resolve('@platformatic/kafka')), 'clients', 'consumer', 'consumer.js');
  const { filterAbortedBatches } = nativeRequire(consumerJs) as { filterAbortedBatches: (partition: { records: PlatformaticBatch[]; abortedTransactions: unknown[] }) => void };
  const partition = {
    abortedTransactions: log.aborted.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
    records: log.batches.map(
      (b): PlatformaticBatch => ({
        firstOffset: BigInt(b.firstOffset),
        lastOffsetDelta: b.count - 1,
        attributes: (b.kind === 'plain' ? 0 : 0x10) | (b.kind.endsWith('marker') ? 0x20 : 0),
        producerId: BigInt(b.producerId),
        records: Array.from({ length: b.count }, (_, i) => ({ offsetDelta: i, key: b.kind.endsWith('marker') ? markerKey(b.kind) : Buffer.from('k') })),
      }),
    ),
  };
  filterAbortedBatches(partition);
  return partition.records.filter((b) => (b.attributes & 0x20) === 0).flatMap((b) => b.records.map((r) => Number(b.firstOffset) + r.offsetDelta));
}
/* eslint-enable @typescript-eslint/no-require-imports */

const filters = [
  ['kafkajs', kafkajsFilter],
  ['platformatic', platformaticFilter],
] as const;

const logs: [string, PartitionLog][] = [
  ['five producers, 40 transactions, 1 in 4 aborted, ended in begin order', interleavedLog({ producers: 5, transactions: 40, perTransaction: 50, abortEvery: 4, endInReverse: false })],
  ['five producers, 40 transactions, 1 in 4 aborted, ended in reverse order', interleavedLog({ producers: 5, transactions: 40, perTransaction: 50, abortEvery: 4, endInReverse: true })],
  ['every transaction aborted, reverse order', interleavedLog({ producers: 3, transactions: 9, perTransaction: 30, abortEvery: 1, endInReverse: true })],
  ['the abort markers beyond the fetch (a fetch cut by its size)', interleavedLog({ producers: 4, transactions: 4, perTransaction: 40, abortEvery: 2, endInReverse: false, truncateMarkers: true })],
];

describe('aborted-transaction filters (patched kafkajs and @platformatic/kafka)', () => {
  for (const [client, filter] of filters) {
    for (const [name, log] of logs) {
      it(`when ${client} reads a log with ${name}, then it keeps exactly the committed and plain records`, () => {
        const expected = visibleOffsets(log);
        expect(log.aborted.length).toBeGreaterThan(0);
        expect(filter(log)).toEqual(expected);
      });
    }
  }

  it('when the same producer aborts two transactions in one fetch, then both are dropped (the upstream filters kept the first)', () => {
    const log: PartitionLog = {
      batches: [
        { producerId: 1, firstOffset: 0, count: 3, kind: 'transactional', visible: false },
        { producerId: 1, firstOffset: 3, count: 1, kind: 'abort-marker', visible: false },
        { producerId: 1, firstOffset: 4, count: 3, kind: 'transactional', visible: true },
        { producerId: 1, firstOffset: 7, count: 1, kind: 'commit-marker', visible: false },
        { producerId: 1, firstOffset: 8, count: 3, kind: 'transactional', visible: false },
        { producerId: 1, firstOffset: 11, count: 1, kind: 'abort-marker', visible: false },
      ],
      aborted: [
        { producerId: 1, firstOffset: 8 },
        { producerId: 1, firstOffset: 0 },
      ],
    };
    for (const [, filter] of filters) expect(filter(log)).toEqual([4, 5, 6]);
  });
});
