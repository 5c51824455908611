import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError, describeError } from '@sentiment/errors';
import type { HttpLogger } from './http-logger';

export interface AnalyzeRateLimitOptions {
  rateLimitWindowMs: number;
  /** Requests per window per client; 0 disables. */
  rateLimitMax: number;
}

/**
 * Per-client (address, IPv6 by /56) fixed-window limit, in memory: one process, one budget.
 * Over the limit: 429 RATE_LIMITED with Retry-After (seconds) and the draft-7 RateLimit headers.
 * Returns undefined when disabled.
 */
export function createAnalyzeRateLimit(options: AnalyzeRateLimitOptions, logger: HttpLogger): RequestHandler | undefined {
  if (options.rateLimitMax === 0) return undefined;
  return rateLimit({
    windowMs: options.rateLimitWindowMs,
    limit: options.rateLimitMax,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Its misconfiguration checks (e.g. X-Forwarded-For seen while trust proxy is off) go to our
    // logger, not the console; each check reports once.
    logger: {
      error: (err, message) => logger.warn(message ?? 'rate limiter check failed', { error: describeError(err) }),
      warn: (err, message) => logger.warn(message ?? 'rate limiter check', { error: describeError(err) }),
    },
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('Retry-After');
      const when = retryAfter === undefined ? 'later' : `in ${String(retryAfter)} s`;
      next(new HttpError(429, 'RATE_LIMITED', `too many requests; retry ${when}`));
    },
  });
}
