import { AppError, type AppErrorOptions } from './app-error';
import type { ErrorCode } from './error-codes';

/** A setting is missing or malformed: fatal at start-up. */
export class ConfigError extends AppError {
  static readonly code: ErrorCode = 'CONFIG_INVALID';
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ConfigError.code, message, { ...options, retriable: false });
  }
}

/** An input message breaks the event contract: never retriable, goes to the dead-letter topic. */
export class InvalidInputError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, { ...options, retriable: false });
  }
}

/** The scoring model could not produce an answer; the fallback scorer takes over. */
export class ModelError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, { retriable: true, ...options });
  }
}

/** A Kafka operation failed; `retriable` mirrors the broker/client's own judgement. */
export class KafkaError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An HTTP request is unacceptable; carries its status code. */
export class HttpError extends AppError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, { ...options, retriable: false });
    this.status = status;
  }
}
