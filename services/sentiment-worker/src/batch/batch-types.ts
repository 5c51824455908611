import type { CallTranscribedEvent, DeadLetterReason } from '@sentiment/events';
import type { InputMessage, OutgoingMessage } from '@sentiment/kafka';
import type { TraceContext } from '@sentiment/observability';

/** An input that passed the event contract. `index` is its position in the batch. */
export interface DecodedInput {
  index: number;
  message: InputMessage;
  event: CallTranscribedEvent;
  trace: TraceContext | undefined;
}

/** An input that will be dead-lettered, and why. */
export interface RejectedInput {
  index: number;
  message: InputMessage;
  reason: DeadLetterReason;
  detail: string;
}

export interface ResultOutcome {
  kind: 'result';
  index: number;
  message: InputMessage;
  record: OutgoingMessage;
  callId: string;
  label: string;
  model: string;
  trace: TraceContext | undefined;
  truncated: boolean;
}

export interface DeadLetterOutcome {
  kind: 'dead-letter';
  index: number;
  message: InputMessage;
  record: OutgoingMessage;
  reason: DeadLetterReason;
  detail: string;
}

/** Exactly one per input of the batch. */
export type Outcome = ResultOutcome | DeadLetterOutcome;

/** Steps 1-3 done (on the main thread or in the batch pool): the outcomes, and what scoring took. */
export interface PreparedOutcomes {
  /** One per input of the batch, in input order. */
  outcomes: Outcome[];
  /** Inputs that reached the scorer, how long scoring them took, and which scorer it was. */
  scored: number;
  scoringMs: number;
  scorer: string;
}
