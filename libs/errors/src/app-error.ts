import type { ErrorCode } from './error-codes';

export interface AppErrorOptions {
  /** Whether retrying the same operation may succeed (a broker restart: yes; bad JSON: no). */
  retriable?: boolean;
  cause?: unknown;
  /** Structured context, logged with the error (never message bodies or secrets). */
  details?: Record<string, unknown>;
}

/**
 * Base class of every error the project raises. `code` is a closed union so callers
 * switch on it instead of matching message strings; `retriable` is always explicit.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details;
  }

  /** Enumerable shape for JSON logs (Error's own fields are not enumerable). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...(this.details ? { details: this.details } : {}),
      ...(this.cause !== undefined ? { cause: describeError(this.cause) } : {}),
    };
  }
}

/** Never throws, whatever it is given. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof AppError) return err.retriable;
  if (typeof err === 'object' && err !== null && 'retriable' in err) {
    return (err as { retriable?: unknown }).retriable === true;
  }
  return false;
}

/** Never throws; turns anything thrown into a small loggable object. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof AppError) return err.toJSON();
  if (err instanceof Error) {
    const out: Record<string, unknown> = { name: err.name, message: err.message };
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
    const type = (err as { type?: unknown }).type;
    if (typeof type === 'string') out['type'] = type;
    if ('retriable' in err) out['retriable'] = (err as { retriable?: unknown }).retriable === true;
    if (err.cause !== undefined) out['cause'] = describeError(err.cause);
    return out;
  }
  return { message: String(err) };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
