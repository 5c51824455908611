export { createLogger, silentLogger, LogLevels, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { ensureCounter, ensureGauge, ensureHistogram } from './metric-factory';
export { createWorkerMetrics, createMetricsRegistry, type WorkerMetrics } from './worker-metrics';
export { EventLoopProbe } from './event-loop-probe';
export { extractTraceContext, type TraceContext } from './trace-context';
export {
  createBatchTracer,
  MAX_LINKS_PER_BATCH_SPAN,
  OriginalTraceHeaders,
  continueTraceOnDeadLetter,
  restoreOriginalTrace,
  type BatchTracer,
  type BatchSpan,
  type BatchSpanInput,
  type ChildSpan,
  type TracingOptions,
} from './tracing';
