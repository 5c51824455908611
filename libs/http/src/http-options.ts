import { ConfigError } from '@sentiment/errors';
import { callSegmentSchema } from '@sentiment/events';

/** Input limits of `POST /analyze`; the OpenAPI document states the same numbers. */
export interface AnalyzeLimits {
  /** Largest accepted request body in bytes (413 PAYLOAD_TOO_LARGE above). */
  maxBodyBytes: number;
  /** Most entries in `texts` (413 BATCH_TOO_LARGE above). */
  maxBatchTexts: number;
  /** Most entries in `segments` (413 BATCH_TOO_LARGE above). */
  maxSegments: number;
  /** Longest text (each of `text`, `texts[i]`, `segments[i].text`) in Unicode code points (413 TEXT_TOO_LONG). */
  maxTextChars: number;
  /** Deepest accepted nesting of JSON arrays/objects (400 NESTING_TOO_DEEP); a valid body needs 3. */
  maxJsonDepth: number;
}

/** The worker's configuration takes its defaults from here (ANALYZE_MAX_TEXTS, ...). */
export const DEFAULT_ANALYZE_LIMITS: Readonly<AnalyzeLimits> = Object.freeze({
  maxBodyBytes: 1_048_576,
  maxBatchTexts: 100,
  maxSegments: 2_000,
  maxTextChars: 100_000,
  maxJsonDepth: 8,
});

/** Longest speaker name: the `calls.transcribed` segment schema's. */
export const MAX_SPEAKER_CHARS: number = callSegmentSchema.properties.speaker.maxLength;

/** Value of Express's `trust proxy` setting: false, true, a hop count, or addresses/subnets. */
export type TrustProxy = boolean | number | string | string[];

export interface HttpAppOptions extends Partial<AnalyzeLimits> {
  /** Rate-limit window of `POST /analyze` per client address (default 60,000 ms). */
  rateLimitWindowMs?: number;
  /** Requests per window per client on `POST /analyze`; 0 disables the limit (default 600). */
  rateLimitMax?: number;
  /** Express `trust proxy`: set it when behind a load balancer so the client address is right (default false). */
  trustProxy?: TrustProxy;
  /** Longest an analysis may take before the request gets 503 MODEL_TIMEOUT (default 30,000 ms). */
  analyzeTimeoutMs?: number;
}

export interface ResolvedHttpAppOptions extends AnalyzeLimits {
  rateLimitWindowMs: number;
  rateLimitMax: number;
  trustProxy: TrustProxy;
  analyzeTimeoutMs: number;
}

export const DEFAULT_HTTP_APP_OPTIONS: Readonly<ResolvedHttpAppOptions> = Object.freeze({
  ...DEFAULT_ANALYZE_LIMITS,
  rateLimitWindowMs: 60_000,
  rateLimitMax: 600,
  trustProxy: false,
  analyzeTimeoutMs: 30_000,
});

function requireInteger(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`http option ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and rejects nonsense (a typo'd env var must fail start-up, not weaken a limit). */
export function resolveHttpAppOptions(options: HttpAppOptions = {}): ResolvedHttpAppOptions {
  const d = DEFAULT_HTTP_APP_OPTIONS;
  return {
    maxBodyBytes: requireInteger('maxBodyBytes', options.maxBodyBytes ?? d.maxBodyBytes, 2),
    maxBatchTexts: requireInteger('maxBatchTexts', options.maxBatchTexts ?? d.maxBatchTexts, 1),
    maxSegments: requireInteger('maxSegments', options.maxSegments ?? d.maxSegments, 1),
    maxTextChars: requireInteger('maxTextChars', options.maxTextChars ?? d.maxTextChars, 1),
    maxJsonDepth: requireInteger('maxJsonDepth', options.maxJsonDepth ?? d.maxJsonDepth, 3),
    rateLimitWindowMs: requireInteger('rateLimitWindowMs', options.rateLimitWindowMs ?? d.rateLimitWindowMs, 1),
    rateLimitMax: requireInteger('rateLimitMax', options.rateLimitMax ?? d.rateLimitMax, 0),
    trustProxy: options.trustProxy ?? d.trustProxy,
    analyzeTimeoutMs: requireInteger('analyzeTimeoutMs', options.analyzeTimeoutMs ?? d.analyzeTimeoutMs, 1),
  };
}
