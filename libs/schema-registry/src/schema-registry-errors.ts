import { AppError, type AppErrorOptions, type ErrorCode } from '@sentiment/errors';

/** Why a framed value could not be decoded; each code is also a dead-letter reason (docs/events.md). */
export type SchemaDecodeFailure = 'NOT_SCHEMA_FRAMED' | 'SCHEMA_NOT_FOUND' | 'SCHEMA_REGISTRY_UNAVAILABLE' | 'SCHEMA_UNSUPPORTED' | 'UNDECODABLE_PAYLOAD';

/**
 * The registry could not give us a usable schema. `retriable` says whether asking again may help
 * (unreachable, timed out, overloaded) or not (unknown id, a schema we cannot use).
 */
export class SchemaRegistryError extends AppError {
  constructor(code: SchemaDecodeFailure | Extract<ErrorCode, 'SCHEMA_REGISTRY_ERROR'>, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
