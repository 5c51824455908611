/**
 * With tracing on, a dead letter's `traceparent` names the batch span that dead-lettered it, like a
 * result's. The input's own trace headers are kept beside it so nothing of the original is lost
 * and a replay can put them back (scripts/dlq-replay.ts): `x-dlq-original-traceparent` holds the
 * input's value, or is empty when the input had none.
 */
export const OriginalTraceHeaders = {
  traceparent: 'x-dlq-original-traceparent',
  tracestate: 'x-dlq-original-tracestate',
} as const;

type Headers = Record<string, unknown>;

export function continueTraceOnDeadLetter(headers: Headers, traceparent: string): void {
  const ownParent = headers['traceparent'];
  headers[OriginalTraceHeaders.traceparent] = ownParent === undefined ? '' : ownParent;
  const ownState = headers['tracestate'];
  if (ownState !== undefined) {
    headers[OriginalTraceHeaders.tracestate] = ownState;
    delete headers['tracestate'];
  }
  headers['traceparent'] = traceparent;
}

/** The input's trace headers back in place (the reverse of continueTraceOnDeadLetter); a no-op on other dead letters. */
export function restoreOriginalTrace(headers: Headers): void {
  if (!(OriginalTraceHeaders.traceparent in headers)) return;
  const original = headers[OriginalTraceHeaders.traceparent];
  delete headers[OriginalTraceHeaders.traceparent];
  const empty = original === '' || (Buffer.isBuffer(original) && original.length === 0);
  if (empty) delete headers['traceparent'];
  else headers['traceparent'] = original;
  delete headers['tracestate'];
  if (OriginalTraceHeaders.tracestate in headers) {
    headers['tracestate'] = headers[OriginalTraceHeaders.tracestate];
    delete headers[OriginalTraceHeaders.tracestate];
  }
}
