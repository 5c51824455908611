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
  // Schema Registry framed input (INPUT_FORMAT registry/auto, libs/schema-registry)
  'NOT_SCHEMA_FRAMED',
  'SCHEMA_NOT_FOUND',
  'SCHEMA_REGISTRY_UNAVAILABLE',
  'SCHEMA_UNSUPPORTED',
  'UNDECODABLE_PAYLOAD',
] as const satisfies readonly ErrorCode[];

export type DeadLetterReason = (typeof DeadLetterReasons)[number];

/**
 * Reasons caused by the surroundings (a broker, the model, the registry), not by the bytes: the
 * same input may well succeed when replayed (`npm run dlq:replay`). Every other reason describes
 * the input itself and fails again unless the worker or its limits changed, so the replay tool
 * skips those unless told `--force` (docs/operations.md).
 */
export const ReplayableDeadLetterReasons = [
  'SCORING_FAILED',
  'PRODUCE_FAILED',
  // The output topic's max.message.bytes was too small: once it is raised, the same input fits.
  'RESULT_TOO_LARGE',
  'PROCESSING_FAILED',
  'SCHEMA_NOT_FOUND',
  'SCHEMA_REGISTRY_UNAVAILABLE',
] as const satisfies readonly DeadLetterReason[];

const replayable: ReadonlySet<string> = new Set(ReplayableDeadLetterReasons);

/** Whether a dead letter with this `x-dlq-reason` may succeed if replayed unchanged. Total: any string. */
export function isReplayableReason(reason: string): boolean {
  return replayable.has(reason);
}
