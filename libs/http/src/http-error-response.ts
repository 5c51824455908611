import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, HttpError, InvalidInputError, type ErrorCode } from '@sentiment/errors';

/** Every error the API answers has this body. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Codes `POST /analyze` answers with 400 (the OpenAPI document lists the same). */
export const BAD_REQUEST_CODES = [
  'BAD_REQUEST',
  'INVALID_JSON',
  'INVALID_UTF8',
  'EMPTY_MESSAGE',
  'NESTING_TOO_DEEP',
  'SCHEMA_VIOLATION',
  'NO_TEXT',
] as const satisfies readonly ErrorCode[];

export const PAYLOAD_TOO_LARGE_CODES = ['PAYLOAD_TOO_LARGE', 'BATCH_TOO_LARGE', 'TEXT_TOO_LONG'] as const satisfies readonly ErrorCode[];

/** Codes of a failed analysis (503): the scorer's own code when it is one of these, else SCORING_FAILED. */
export const UNAVAILABLE_CODES = [
  'SCORING_FAILED',
  'MODEL_TIMEOUT',
  'MODEL_CIRCUIT_OPEN',
  'MODEL_INFERENCE_FAILED',
  'MODEL_LOAD_FAILED',
  'MODEL_NOT_FOUND',
  'TOKENIZER_FAILED',
] as const satisfies readonly ErrorCode[];

function oneOf<T extends string>(list: readonly T[], code: string): code is T {
  return (list as readonly string[]).includes(code);
}

/**
 * Maps what `analyze` threw to an answer. An input error found by the worker stays a 4xx;
 * anything else is the service's problem and temporary (503), never a 500. Messages are
 * generic: a scorer's message may name files or internals.
 */
export function analyzeFailureToHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof InvalidInputError) {
    if (err.code === 'TEXT_TOO_LONG' || err.code === 'MESSAGE_TOO_LARGE') {
      return new HttpError(413, 'TEXT_TOO_LONG', err.message, { cause: err });
    }
    return new HttpError(400, oneOf(BAD_REQUEST_CODES, err.code) ? err.code : 'SCHEMA_VIOLATION', err.message, { cause: err });
  }
  const code: ErrorCode = err instanceof AppError && oneOf(UNAVAILABLE_CODES, err.code) ? err.code : 'SCORING_FAILED';
  return new HttpError(503, code, `sentiment analysis is unavailable (${code}); retry later`, { cause: err });
}

/**
 * What the last error handler answers for anything thrown: an HttpError as is; a 4xx error from
 * Express or its router (e.g. a malformed URI) as 400; the rest is a bug, 500 INTERNAL.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const withStatus = typeof err === 'object' && err !== null ? (err as { status?: unknown; statusCode?: unknown }) : {};
  const status = withStatus.status ?? withStatus.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(400, 'BAD_REQUEST', 'malformed request', { cause: err });
  }
  return new HttpError(500, 'INTERNAL', 'internal error', { cause: err });
}

export function sendErrorBody(res: ServerResponse, status: number, body: ErrorBody): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** True when the request body has not been read to its end (the answer must close the connection). */
export function requestBodyPending(req: IncomingMessage): boolean {
  return !req.complete && !req.readableEnded;
}
