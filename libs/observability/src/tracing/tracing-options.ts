/** What the worker needs to export spans (OTEL_* in docs/configuration.md and docs/headers-and-tracing.md). */
export interface TracingOptions {
  /** OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces. */
  tracesEndpoint: string;
  serviceName: string;
  serviceVersion: string;
  instanceId: string;
  /** Delay between two exports (OTEL_BSP_SCHEDULE_DELAY; the SDK's default is 5000). */
  scheduledDelayMs: number;
}

/**
 * Links per batch span. The SDK's default (128) would drop most links of a full batch; a batch
 * of 64 KiB holds a few hundred events. Links past this are dropped and counted by the SDK.
 */
export const MAX_LINKS_PER_BATCH_SPAN = 2000;
