/**
 * Per partition, the offset after the last batch handed to the iterator, so that records the
 * client fetches a second time are not handed out twice.
 *
 * Why: whenever its assignment grows (KIP-848 moves partitions in steps), @platformatic/kafka
 * re-reads the group's committed offsets for every partition it holds, including the ones it
 * kept, and moves their fetch positions back there. The records of a batch still in flight, not
 * yet committed, then come again; processed twice, they would be two outcomes for one input
 * (in exactly-once mode: two committed transactions).
 *
 * A partition is forgotten whenever its records must be fetched again: a batch failed or was
 * given back, the partition was revoked, or the member rejoined (every in-flight batch of the old
 * membership will be refused).
 */
export class HandedOutOffsets {
  private readonly next = new Map<string, bigint>();

  /** False for a record at or before the last one handed out for its partition. */
  isNew(partitionKey: string, offset: bigint): boolean {
    const next = this.next.get(partitionKey);
    return next === undefined || offset >= next;
  }

  handedOut(partitionKey: string, nextOffset: bigint): void {
    this.next.set(partitionKey, nextOffset);
  }

  forget(partitionKey: string): void {
    this.next.delete(partitionKey);
  }

  clear(): void {
    this.next.clear();
  }
}
