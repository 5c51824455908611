export type { BatchTracer, BatchSpan, BatchSpanInput, ChildSpan } from './batch-tracer';
export { MAX_LINKS_PER_BATCH_SPAN, type TracingOptions } from './tracing-options';
export { createBatchTracer } from './create-batch-tracer';
export { OriginalTraceHeaders, continueTraceOnDeadLetter, restoreOriginalTrace } from './dead-letter-trace';
