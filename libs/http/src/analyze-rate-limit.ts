import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from '@sentiment/errors';

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
export function createAnalyzeRateLimit(options: AnalyzeRateLimitOptions): RequestHandler | undefined {
  if (options.rateLimitMax === 0) return undefined;
  return rateLimit({
    windowMs: options.rateLimitWindowMs,
    limit: options.rateLimitMax,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('Retry-After');
      const when = retryAfter === undefined ? 'later' : `in ${String(retryAfter)} s`;
      next(new HttpError(429, 'RATE_LIMITED', `too many requests; retry ${when}`));
    },
  });
}
