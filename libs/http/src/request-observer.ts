import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HttpLogger } from './http-logger';
import type { HttpMetrics } from './http-metrics';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
const MAX_LOGGED_PATH = 200;

/** Label for routes no handler matched: random paths must not create new time series. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Status label of a request the client abandoned before the answer was sent (nginx's 499). */
export const CLIENT_CLOSED_STATUS = '499';

/**
 * One debug access-log line and one metric sample per request, when the answer finished or the
 * connection closed. Logs method, path (no query string: it may carry data), status and time;
 * never bodies or headers.
 */
export function observeRequests(metrics: HttpMetrics, logger: HttpLogger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const routePath: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? routePath : UNMATCHED_ROUTE;
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_STATUS;
      metrics.requests.inc({ method, route, status });
      metrics.duration.observe({ method, route, status }, seconds);
      const path = req.path.length > MAX_LOGGED_PATH ? `${req.path.slice(0, MAX_LOGGED_PATH)}...` : req.path;
      logger.debug('http request', { method: req.method, path, route, status: Number(status), ms: Math.round(seconds * 1e4) / 10 });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
