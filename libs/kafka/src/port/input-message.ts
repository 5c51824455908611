/** A header value as consumed: Kafka allows a header without a value (null). */
export type InputHeaderValue = Buffer | null;

/** Headers of a consumed message by name; a name sent more than once keeps every value, in order. */
export type InputHeaders = Readonly<Record<string, InputHeaderValue | readonly InputHeaderValue[]>>;

/**
 * A record batch the client refused to decompress because it would inflate past
 * `maxDecompressedBatchBytes` (a decompression bomb, or a batch far larger than any valid one).
 * One placeholder message stands for its whole offset range, so the worker can dead-letter the
 * range and move past it instead of inflating it.
 */
export interface RefusedBatch {
  readonly firstOffset: string;
  readonly lastOffset: string;
  /** Records the batch header declares. */
  readonly recordCount: number;
  readonly codec: string;
  readonly limitBytes: number;
  /** Size of the compressed payload as it came from the broker. */
  readonly compressedBytes: number;
  /** The compressed payload itself (for a dead letter that keeps the evidence). */
  readonly compressed: Buffer;
}

/** One consumed record, independent of the Kafka client that fetched it. */
export interface InputMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: InputHeaders;
  /** Record timestamp, milliseconds since the epoch, as a decimal string (Kafka's int64). */
  readonly timestamp: string;
  /** Set on the placeholder of a batch that was not decompressed (its offset is the batch's last). */
  readonly refusedBatch?: RefusedBatch;
}
