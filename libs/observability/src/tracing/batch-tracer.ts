import type { HeaderValue } from '../trace-context';

/** One operation inside a batch span ("score", "send"). */
export interface ChildSpan {
  end(error?: unknown): void;
}

/**
 * The span of one consumed batch: `process <topic>`, a consumer span linked to every input's
 * producer context. Results and dead letters of the batch carry its context (`traceparent`).
 */
export interface BatchSpan {
  /** W3C traceparent of this span: the parent of whatever downstream does with the outcomes. */
  readonly traceparent: string;
  child(name: string, attributes?: Record<string, string | number | boolean>): ChildSpan;
  /** Adds attributes known only later (outcome counts). */
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  end(error?: unknown): void;
}

export interface BatchSpanInput {
  topic: string;
  partition: number;
  consumerGroup: string;
  /** The batch's inputs: each one's producer context (a valid `traceparent` header) becomes a link. */
  messages: readonly { offset: string; headers?: Record<string, HeaderValue> | undefined }[];
}

/**
 * The data path's whole view of tracing. Absent (undefined) when tracing is off, so the data
 * path pays one check per batch and no SDK is loaded.
 */
export interface BatchTracer {
  startBatchSpan(input: BatchSpanInput): BatchSpan;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}
