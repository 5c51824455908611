/** A header value to produce; null is a header without a value (Kafka allows it). */
export type OutgoingHeaderValue = Buffer | string | null;
export type OutgoingHeaders = Record<string, OutgoingHeaderValue | OutgoingHeaderValue[]>;

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: Buffer | string;
  headers?: OutgoingHeaders;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

/** A message the broker refused for good (too large for the topic, say), with why. */
export interface UndeliverableMessage {
  topic: string;
  message: OutgoingMessage;
  /** Error code from @sentiment/errors: RESULT_TOO_LARGE or PRODUCE_FAILED. */
  code: 'RESULT_TOO_LARGE' | 'PRODUCE_FAILED';
  reason: string;
}

/** What a send achieved: every message not listed was acknowledged by all in-sync replicas. */
export interface SendReport {
  undeliverable: UndeliverableMessage[];
}
