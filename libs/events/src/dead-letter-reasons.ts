import type { ErrorCode } from '@sentiment/errors';

/** Reason codes found in the `x-dlq-reason` header of a dead letter (docs/events.md). */
export const DeadLetterReasons = [
  'EMPTY_MESSAGE',
  'MESSAGE_TOO_LARGE',
  'INVALID_UTF8',
  'NESTING_TOO_DEEP',
  'INVALID_JSON',
  'SCHEMA_VIOLATION',
  'NO_TEXT',
  'TEXT_TOO_LONG',
  'SCORING_FAILED',
  'PRODUCE_FAILED',
  'PROCESSING_FAILED',
  'RESULT_TOO_LARGE',
  'DECOMPRESSION_LIMIT',
] as const satisfies readonly ErrorCode[];

export type DeadLetterReason = (typeof DeadLetterReasons)[number];
