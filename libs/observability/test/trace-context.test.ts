import { describe, expect, it } from '@jest/globals';
import { extractTraceContext } from '../src/trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const VALID = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('extractTraceContext', () => {
  it('when traceparent is a valid version-00 value in bytes, then it is kept unchanged with its trace id', () => {
    expect(extractTraceContext({ traceparent: bytes(VALID) })).toEqual({ traceparent: VALID, traceId: TRACE_ID });
  });

  it('when tracestate comes with a valid traceparent, then it is carried too', () => {
    expect(extractTraceContext({ traceparent: bytes(VALID), tracestate: bytes('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE') })).toEqual({
      traceparent: VALID,
      traceId: TRACE_ID,
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    });
  });

  it('when there are no headers or no traceparent, then there is no trace context', () => {
    expect(extractTraceContext(undefined)).toBeUndefined();
    expect(extractTraceContext({})).toBeUndefined();
    expect(extractTraceContext({ tracestate: bytes('rojo=1') })).toBeUndefined();
  });

  it.each([
    ['too short', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['missing flags', `00-${TRACE_ID}-00f067aa0ba902b7`],
    ['wrong separator', `00_${TRACE_ID}_00f067aa0ba902b7_01`],
    ['not hex', `00-${TRACE_ID.replace('4', 'g')}-00f067aa0ba902b7-01`],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero parent id', `00-${TRACE_ID}-0000000000000000-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-00F067AA0BA902B7-01`],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['version 00 with an extra field', `${VALID}-extra`],
    ['empty', ''],
    ['garbage', 'hello'],
  ])('when traceparent is malformed (%s), then it is ignored with its tracestate', (_case, value) => {
    expect(extractTraceContext({ traceparent: bytes(value), tracestate: bytes('rojo=1') })).toBeUndefined();
  });

  it('when a later version appends fields, then the value is accepted as it is', () => {
    const future = `cc-${TRACE_ID}-00f067aa0ba902b7-09-what-the-future-holds`;
    expect(extractTraceContext({ traceparent: bytes(future) })).toEqual({ traceparent: future, traceId: TRACE_ID });
  });

  it('when traceparent holds bytes that are not ASCII (invalid UTF-8), then it is ignored and nothing throws', () => {
    const withBadByte = Buffer.concat([bytes(VALID.slice(0, 10)), Buffer.from([0xff, 0xfe]), bytes(VALID.slice(12))]);
    expect(extractTraceContext({ traceparent: withBadByte })).toBeUndefined();
    expect(extractTraceContext({ traceparent: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) })).toBeUndefined();
  });

  it('when tracestate holds non-ASCII bytes, then traceparent is kept and tracestate dropped', () => {
    expect(extractTraceContext({ traceparent: bytes(VALID), tracestate: Buffer.from([0x61, 0x3d, 0xff]) })).toEqual({
      traceparent: VALID,
      traceId: TRACE_ID,
    });
  });

  it('when a header has a null value (a Kafka header without a value), then it is treated as absent', () => {
    expect(extractTraceContext({ traceparent: null })).toBeUndefined();
    expect(extractTraceContext({ traceparent: bytes(VALID), tracestate: null })).toEqual({ traceparent: VALID, traceId: TRACE_ID });
  });

  it('when traceparent appears twice, then both are ignored', () => {
    expect(extractTraceContext({ traceparent: [bytes(VALID), bytes(`00-${'1'.repeat(32)}-00f067aa0ba902b7-01`)] })).toBeUndefined();
  });

  it('when tracestate appears twice, then the values form one list in order', () => {
    expect(extractTraceContext({ traceparent: [bytes(VALID)], tracestate: [bytes('a=1'), bytes('b=2')] })?.tracestate).toBe('a=1,b=2');
  });

  it('when traceparent has surrounding blanks, then they are trimmed', () => {
    expect(extractTraceContext({ traceparent: bytes(` ${VALID} `) })?.traceparent).toBe(VALID);
  });

  it('when tracestate is absurdly long, then it is dropped and traceparent kept', () => {
    const context = extractTraceContext({ traceparent: bytes(VALID), tracestate: bytes(`a=${'x'.repeat(9000)}`) });
    expect(context).toEqual({ traceparent: VALID, traceId: TRACE_ID });
  });
});
