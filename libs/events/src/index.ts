export { callTranscribedSchema, type CallTranscribedEvent, type CallSegment } from './schemas/call-transcribed.schema';
export { sentimentResultSchema } from './schemas/sentiment-result.schema';
export { DeadLetterReasons, type DeadLetterReason } from './dead-letter-reasons';
export { decodeCallEvent, defaultDecodeLimits, type DecodeLimits, type DecodeResult } from './decode-call-event';
export { jsonDepthExceeds } from './json-depth';
export { buildSentimentResult, type SentimentResult, type ResultContext, type EventAnalysis, type ScoreLike } from './sentiment-result';
export { buildDeadLetter, buildRefusedBatchDeadLetter, DeadLetterHeaders, type DeadLetterInput, type DeadLetterRecord, type RefusedBatchInput, type HeaderValue, type Headers } from './dead-letter';
export { boundResultSize, type BoundedResult, type ResultTruncation } from './bound-result-size';
