import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import { deadline, HttpError, describeError } from '@sentiment/errors';
import { createAnalyzeRateLimit } from './analyze-rate-limit';
import { validateAnalyzeBody } from './analyze-request-validator';
import type { AnalyzeFunction } from './analyze-types';
import type { HealthReport, ReadinessReport } from './health-report.schema';
import { createErrorHandler, notFoundHandler } from './http-error-handlers';
import { analyzeFailureToHttpError } from './http-error-response';
import { silentHttpLogger, type HttpLogger } from './http-logger';
import { ensureHttpMetrics } from './http-metrics';
import { resolveHttpAppOptions, type HttpAppOptions, type ResolvedHttpAppOptions } from './http-options';
import { readJsonBody } from './json-body-reader';
import { buildOpenApiDocument } from './openapi';
import { observeRequests } from './request-observer';

export interface ServiceInfo {
  name: string;
  version: string;
}

/** Everything the app serves comes from outside: it knows nothing of Kafka or models. */
export interface HttpAppDeps {
  service: ServiceInfo;
  /** Liveness; `fatal` answers 503, `ok`/`degraded` 200. Throwing answers 500. */
  health: () => HealthReport | Promise<HealthReport>;
  /** Readiness; `ready: false` answers 503 with the reasons. Throwing answers 500. */
  ready: () => ReadinessReport | Promise<ReadinessReport>;
  /** `GET /metrics` serves it; the HTTP metrics are registered on it too (get-or-create). */
  registry: Registry;
  /** Runs a validated analysis; failures answer 503 (or 4xx for an InvalidInputError/HttpError). */
  analyze: AnalyzeFunction;
  logger?: HttpLogger;
  options?: HttpAppOptions;
}

const asyncRoute =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

function methodNotAllowed(allow: string): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${allow}`));
  };
}

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const options: ResolvedHttpAppOptions = resolveHttpAppOptions(deps.options);
  const logger = deps.logger ?? silentHttpLogger;
  const metrics = ensureHttpMetrics(deps.registry);
  const openApi = buildOpenApiDocument({ service: deps.service, limits: options });
  const rateLimiter = createAnalyzeRateLimit(options, logger);
  const getOnly = methodNotAllowed('GET, HEAD, OPTIONS');

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy);
  app.use(observeRequests(metrics, logger));
  app.use(noStore);

  app
    .route('/')
    .get((_req, res) => {
      res.json({
        name: deps.service.name,
        version: deps.service.version,
        links: { health: '/health', ready: '/ready', metrics: '/metrics', openapi: '/openapi.json', analyze: '/analyze' },
      });
    })
    .all(getOnly);

  app
    .route('/health')
    .get(
      asyncRoute(async (_req, res) => {
        const report = await deps.health();
        res.status(report.status === 'fatal' ? 503 : 200).json(report);
      }),
    )
    .all(getOnly);

  app
    .route('/ready')
    .get(
      asyncRoute(async (_req, res) => {
        const report = await deps.ready();
        res.status(report.ready ? 200 : 503).json({ ready: report.ready, reasons: report.reasons });
      }),
    )
    .all(getOnly);

  app
    .route('/metrics')
    .get(
      asyncRoute(async (_req, res) => {
        const text = await deps.registry.metrics();
        res.setHeader('Content-Type', deps.registry.contentType);
        res.send(text);
      }),
    )
    .all(getOnly);

  app
    .route('/openapi.json')
    .get((_req, res) => {
      res.json(openApi);
    })
    .all(getOnly);

  const analyzeHandlers: RequestHandler[] = rateLimiter ? [rateLimiter] : [];
  analyzeHandlers.push(
    asyncRoute(async (req, res) => {
      const body = await readJsonBody(req, options);
      const request = validateAnalyzeBody(body, options);
      // The answer is abandoned at the deadline; the analysis itself runs on (the scorer bounds it).
      const until = deadline(options.analyzeTimeoutMs);
      let result: unknown;
      try {
        result = await until.race(Promise.resolve().then(() => deps.analyze(request)));
        if (result === 'timeout') throw new HttpError(503, 'MODEL_TIMEOUT', `analysis took longer than ${options.analyzeTimeoutMs} ms; retry later`);
      } catch (err) {
        const httpError = analyzeFailureToHttpError(err);
        if (httpError.status >= 500) logger.warn('analyze failed', { error: describeError(err), status: httpError.status });
        throw httpError;
      } finally {
        until.clear();
      }
      res.status(200).json(result);
    }),
  );
  app
    .route('/analyze')
    .post(...analyzeHandlers)
    .all(methodNotAllowed('POST, OPTIONS'));

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger, options.maxBodyBytes));

  return app;
}
