import { describe, expect, it } from '@jest/globals';
import { splitByBytes } from '../../src/shared/split-by-bytes';

describe('splitByBytes', () => {
  const msgs = (topic: string, n: number, size: number) => ({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(size) })) });

  it('when messages exceed the request size, then they are split in order and none is lost', () => {
    const requests = splitByBytes([msgs('out', 50, 1000), msgs('dlq', 5, 1000)], 10_000);
    expect(requests.length).toBeGreaterThan(5);
    const flat = requests.flatMap((r) => r.flatMap((t) => t.messages.map((m) => `${t.topic}/${String(m.key)}`)));
    expect(flat).toEqual([...Array.from({ length: 50 }, (_, i) => `out/k${i}`), ...Array.from({ length: 5 }, (_, i) => `dlq/k${i}`)]);
    for (const r of requests) {
      const bytes = r.reduce((sum, t) => sum + t.messages.reduce((s, m) => s + String(m.value).length, 0), 0);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
  });

  it('when one message is bigger than the limit, then it still goes out alone', () => {
    const requests = splitByBytes([msgs('out', 3, 50_000)], 10_000);
    expect(requests).toHaveLength(3);
  });

  it('when there is nothing to send, then there is no request', () => {
    expect(splitByBytes([{ topic: 'out', messages: [] }], 10_000)).toEqual([]);
  });
});
