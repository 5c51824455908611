export { SentimentLabels, scoreSchema, type SentimentLabel, type LabelScores, type Score } from './schemas/score.schema';
export { callTranscribedSchema, callSegmentSchema, type CallTranscribedEvent, type CallSegment } from './schemas/call-transcribed.schema';
export {
  sentimentResultSchema,
  segmentResultSchema,
  speakerResultSchema,
  trajectorySchema,
  type SentimentResult,
} from './schemas/sentiment-result.schema';
export { type SchemaType } from './schemas/schema-type';
export { DeadLetterReasons, ReplayableDeadLetterReasons, isReplayableReason, type DeadLetterReason } from './dead-letter-reasons';
export { decodeCallEvent, defaultDecodeLimits, type DecodeLimits, type DecodeResult } from './decode-call-event';
export { jsonDepthExceeds } from './json-depth';
export { codePointLength } from './code-points';
export { buildSentimentResult, type ResultContext, type EventAnalysis } from './sentiment-result';
export { buildDeadLetter, buildRefusedBatchDeadLetter, DeadLetterHeaders, type DeadLetterInput, type DeadLetterRecord, type RefusedBatchInput, type HeaderValue, type Headers } from './dead-letter';
export { boundResultSize, type BoundedResult, type ResultTruncation } from './bound-result-size';
