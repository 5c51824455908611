import type { TraceContext } from '../trace-context';

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
  /** Each input's offset and trace context (undefined when it had none). */
  messages: readonly { offset: string; trace: TraceContext | undefined }[];
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
