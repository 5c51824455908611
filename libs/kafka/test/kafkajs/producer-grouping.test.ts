import { describe, expect, it } from '@jest/globals';
import { Partitioners } from 'kafkajs';

// kafkajs' internals as patched by patches/kafkajs+2.2.4.patch (no types: plain CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: Array<{ partitionId: number; leader: number }>;
  messages: Array<{ key?: string | null; value: string; partition?: number }>;
  partitioner: (args: { topic: string; partitionMetadata: unknown; message: unknown }) => number;
}) => Record<string, Array<{ value: string }>>;

/** kafkajs 2.2.4's own grouping, before the patch (one copy of the array per message). */
function upstreamGrouping({ topic, partitionMetadata, messages, partitioner }: Parameters<typeof groupMessagesPerPartition>[0]): Record<string, Array<{ value: string }>> {
  if (partitionMetadata.length === 0) return {};
  return messages.reduce<Record<string, Array<{ value: string }>>>((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition] ?? [];
    return Object.assign(result, { [partition]: [...current, message] });
  }, {});
}

describe('kafkajs produce grouping (patched)', () => {
  const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: partitionId === 4 ? -1 : 0 }));
  const messages = [
    ...Array.from({ length: 500 }, (_, i) => ({ key: `call-${i % 97}`, value: `v${i}` })),
    ...Array.from({ length: 40 }, (_, i) => ({ key: null, value: `unkeyed-${i}` })),
    { key: 'x', value: 'pinned', partition: 5 },
  ];

  it('when keyed, unkeyed and pinned messages are grouped, then every partition gets the same messages in the same order as upstream', () => {
    const args = { topic: 't', partitionMetadata, messages };
    // Two partitioner instances with the same seed would differ for unkeyed messages (random start): pin it.
    const seeded = () => {
      const partitioner = Partitioners.DefaultPartitioner();
      let unkeyed = 0;
      return (a: { topic: string; partitionMetadata: unknown; message: unknown }) => {
        const m = a.message as { key?: string | null; partition?: number };
        if (m.partition === undefined && (m.key === null || m.key === undefined)) return [0, 1, 2, 3, 5][unkeyed++ % 5] as number;
        return partitioner(a as Parameters<typeof partitioner>[0]);
      };
    };
    const patched = groupMessagesPerPartition({ ...args, partitioner: seeded() });
    const upstream = upstreamGrouping({ ...args, partitioner: seeded() });
    expect(patched).toEqual(upstream);
    expect(Object.values(patched).reduce((n, g) => n + g.length, 0)).toBe(messages.length);
  });

  it('when the partitioner meets an unkeyed message, then it still skips partitions without a leader', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const chosen = new Set(Array.from({ length: 60 }, (_, i) => partitioner({ topic: 't', partitionMetadata: partitionMetadata as never, message: { key: null, value: `u${i}` } })));
    expect(chosen.has(4)).toBe(false);
    expect(chosen.size).toBe(5);
  });
});
