import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, describeError } from '@sentiment/errors';
import { errorBody, requestBodyPending, sendErrorBody, toHttpError } from './http-error-response';
import type { HttpLogger } from './http-logger';
import { discardRequestBody } from './request-drain';

/** How long an unwanted body is read and discarded so the client gets to see the error answer. */
const DRAIN_WAIT_MS = 2_000;
const MAX_PATH_IN_MESSAGE = 100;

/** Last route: nothing matched the path. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  const path = req.path.length > MAX_PATH_IN_MESSAGE ? `${req.path.slice(0, MAX_PATH_IN_MESSAGE)}...` : req.path;
  next(new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${path}`));
};

/**
 * Turns anything thrown into `{error: {code, message}}` with its status. Only a 500 (a bug) is
 * logged here: 4xx are the client's doing and the access log already has them.
 */
export function createErrorHandler(logger: HttpLogger, maxBodyBytes: number): ErrorRequestHandler {
  const drainCap = Math.max(4 * maxBodyBytes, 1_048_576);
  return (err: unknown, req, res, _next) => {
    const httpError = toHttpError(err);
    if (httpError.code === 'INTERNAL') {
      logger.error('http handler failed', {
        method: req.method,
        route: (req.route as { path?: unknown } | undefined)?.path,
        error: describeError(err),
      });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = errorBody(httpError.code, httpError.message);
    if (!requestBodyPending(req)) {
      sendErrorBody(res, httpError.status, body);
      return;
    }
    // The client is still sending a body nobody will read: close after answering, and read a
    // bounded amount first so the client sees the answer instead of EPIPE.
    res.setHeader('Connection', 'close');
    void discardRequestBody(req, drainCap, DRAIN_WAIT_MS).then(() => {
      if (!res.headersSent && !res.destroyed) sendErrorBody(res, httpError.status, body);
    });
  };
}
