import { describe, expect, it } from '@jest/globals';
import { groupIdsCoveringPartitions, javaStringHash, kafkaAbs } from '../src/group-coordinator-warm-up';

describe('group id to __consumer_offsets partition', () => {
  it("when hashing strings, then the result equals Java's String.hashCode", () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
    expect(kafkaAbs(javaStringHash('polygenelubricants'))).toBe(0);
    expect(kafkaAbs(-7)).toBe(7);
  });

  it('when asked to cover n partitions, then one group id per partition comes back', () => {
    const ids = groupIdsCoveringPartitions(5);
    expect(ids).toHaveLength(5);
    expect(new Set(ids.map((id) => kafkaAbs(javaStringHash(id)) % 5))).toEqual(new Set([0, 1, 2, 3, 4]));
  });
});
