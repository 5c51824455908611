import type { BatchTracer } from './batch-tracer';
import type { TracingOptions } from './tracing-options';

/**
 * The tracer for the worker's settings, or undefined when tracing is off: then nothing of the
 * OpenTelemetry SDK is loaded and the data path skips every tracing step.
 */
export async function createBatchTracer(options: TracingOptions | undefined): Promise<BatchTracer | undefined> {
  if (!options) return undefined;
  const { createOtelBatchTracer } = await import('./otel-batch-tracer');
  return createOtelBatchTracer(options);
}
