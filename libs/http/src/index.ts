export { createHttpApp, type HttpAppDeps, type ServiceInfo } from './http-app';
export { startHttpServer, DEFAULT_HTTP_SERVER_TIMEOUTS, type HttpServerOptions, type RunningHttpServer } from './http-server';
export {
  resolveHttpAppOptions,
  DEFAULT_ANALYZE_LIMITS,
  DEFAULT_HTTP_APP_OPTIONS,
  MAX_SPEAKER_CHARS,
  type AnalyzeLimits,
  type HttpAppOptions,
  type ResolvedHttpAppOptions,
  type TrustProxy,
} from './http-options';
export type { HealthReport, HealthStatus, ConsumerHealthState, ReadinessReport } from './health-report.schema';
export type { TextsAnalysis, TranscriptAnalysisResponse } from './analyze-response.schema';
export type { AnalyzeRequest, AnalyzeResponse, AnalyzeFunction } from './analyze-types';
export { validateAnalyzeBody } from './analyze-request-validator';
export { type ErrorBody } from './http-error-response';
export { type HttpLogger, silentHttpLogger } from './http-logger';
export { ensureHttpMetrics, HTTP_REQUESTS_METRIC, HTTP_DURATION_METRIC, type HttpMetrics } from './http-metrics';
export { buildOpenApiDocument, openApiDocument, type OpenApiDocument, type OpenApiBuildOptions } from './openapi';
