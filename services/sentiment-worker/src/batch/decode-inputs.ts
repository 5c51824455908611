import { decodeCallEvent, type DecodeLimits, type DecodeResult } from '@sentiment/events';
import type { InputMessage } from '@sentiment/kafka';
import { extractTraceContext } from '@sentiment/observability';
import { yieldIfTurnOver } from '@sentiment/scoring';
import type { DecodedInput, RejectedInput } from './batch-types';
import { CHECK_EVERY } from './time-slice';

/** The placeholder of a record batch the consumer refused to inflate: dead-lettered as a whole. */
export function refusedBatchRejection(index: number, message: InputMessage): RejectedInput {
  const refused = message.refusedBatch;
  if (!refused) throw new RangeError('refusedBatchRejection: the message is not a refused batch');
  return {
    index,
    message,
    reason: 'DECOMPRESSION_LIMIT',
    detail: `${refused.codec} record batch of ${refused.recordCount} records (offsets ${refused.firstOffset}-${refused.lastOffset}, ${refused.compressedBytes} bytes compressed) would inflate past ${refused.limitBytes} bytes; not decompressed`,
  };
}
/** Decodes registry-framed values for a whole batch (libs/schema-registry); undefined, synchronously, when none is framed. */
export type PreDecoder = (messages: readonly InputMessage[]) => Promise<(DecodeResult | undefined)[]> | undefined;

/**
 * Step 1: every message against the event contract (size, UTF-8, depth, schema, text length).
 * A placeholder for a record batch the consumer refused to inflate is rejected as a whole.
 * Registry-framed values are decoded first, for the whole batch at once (one lookup per schema
 * id), then checked like plain JSON; a batch without any costs no promise.
 */
export async function decodeInputs(messages: readonly InputMessage[], limits: DecodeLimits, preDecode?: PreDecoder): Promise<{ valid: DecodedInput[]; rejected: RejectedInput[] }> {
  const framed = preDecode?.(messages);
  const predecoded = framed === undefined ? undefined : await framed;
  const valid: DecodedInput[] = [];
  const rejected: RejectedInput[] = [];
  for (let index = 0; index < messages.length; index++) {
    if (index > 0 && index % CHECK_EVERY === 0) await yieldIfTurnOver();
    const message = messages[index] as InputMessage;
    if (message.refusedBatch) {
      rejected.push(refusedBatchRejection(index, message));
      continue;
    }
    const decoded = predecoded?.[index] ?? decodeCallEvent(message.value, limits);
    if (decoded.ok) valid.push({ index, message, event: decoded.event, trace: extractTraceContext(message.headers) });
    else rejected.push({ index, message, reason: decoded.reason, detail: decoded.message });
  }
  return { valid, rejected };
}
