export { callTranscribedSchema, type CallTranscribedEvent, type CallSegment } from './schemas/call-transcribed.schema';
export { sentimentResultSchema } from './schemas/sentiment-result.schema';
export { DeadLetterReasons, ReplayableDeadLetterReasons, isReplayableReason, type DeadLetterReason } from './dead-letter-reasons';
export { decodeCallEvent, defaultDecodeLimits, type DecodeLimits, type DecodeResult } from './decode-call-event';
export { jsonDepthExceeds } from './json-depth';
export { buildSentimentResult, type SentimentResult, type ResultContext, type EventAnalysis, type ScoreLike } from './sentiment-result';
export { buildDeadLetter, DeadLetterHeaders, type DeadLetterInput, type DeadLetterRecord } from './dead-letter';
