import { describe, expect, it } from '@jest/globals';
import { continueTraceOnDeadLetter, OriginalTraceHeaders, restoreOriginalTrace } from '../src';

const batchSpan = '00-11111111111111111111111111111111-2222222222222222-01';

describe('dead-letter trace headers', () => {
  it('when the input had trace headers, then the batch span takes traceparent and a replay restores the originals', () => {
    const input = { traceparent: Buffer.from('00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01'), tracestate: 'v=1', other: 'x' };
    const headers: Record<string, unknown> = { ...input };
    continueTraceOnDeadLetter(headers, batchSpan);
    expect(headers).toEqual({ traceparent: batchSpan, [OriginalTraceHeaders.traceparent]: input.traceparent, [OriginalTraceHeaders.tracestate]: 'v=1', other: 'x' });
    restoreOriginalTrace(headers);
    expect(headers).toEqual(input);
  });

  it('when the input had no traceparent, then the replay removes the batch span again', () => {
    const headers: Record<string, unknown> = { other: 'x' };
    continueTraceOnDeadLetter(headers, batchSpan);
    expect(headers[OriginalTraceHeaders.traceparent]).toBe('');
    restoreOriginalTrace(headers);
    expect(headers).toEqual({ other: 'x' });
  });

  it('when a dead letter was written without tracing, then restoring changes nothing', () => {
    const headers: Record<string, unknown> = { traceparent: 'tp', tracestate: 'ts' };
    restoreOriginalTrace(headers);
    expect(headers).toEqual({ traceparent: 'tp', tracestate: 'ts' });
  });
});
