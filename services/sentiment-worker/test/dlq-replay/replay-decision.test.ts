import { describe, expect, it } from '@jest/globals';
import { DeadLetterHeaders, DeadLetterReasons, ReplayableDeadLetterReasons } from '@sentiment/events';
import { OriginalTraceHeaders } from '@sentiment/observability';
import { decideReplay, REPLAYED_FROM_HEADER, type DeadLetterRecordRead } from '../../../../scripts/dlq-replay/replay-decision';
import { parseReplayArgs, ReplayUsageError } from '../../../../scripts/dlq-replay/replay-options';

const replayable = new Set<string>(ReplayableDeadLetterReasons);
const all = new Set<string>(DeadLetterReasons);
const noFilter = { since: undefined, until: undefined, force: false };

function letter(reason: string, extra: Record<string, string | Buffer> = {}, timestamp = '1000'): DeadLetterRecordRead {
  return {
    partition: 0,
    offset: '41',
    timestamp,
    key: Buffer.from('call-1'),
    value: Buffer.from('{"call_id":"call-1","text":"hi"}'),
    headers: {
      [DeadLetterHeaders.reason]: Buffer.from(reason),
      [DeadLetterHeaders.message]: Buffer.from('detail'),
      [DeadLetterHeaders.sourceTopic]: Buffer.from('calls.transcribed'),
      [DeadLetterHeaders.sourcePartition]: Buffer.from('2'),
      [DeadLetterHeaders.sourceOffset]: Buffer.from('17'),
      [DeadLetterHeaders.failedAt]: Buffer.from('2026-12-01T10:00:00Z'),
      [DeadLetterHeaders.workerVersion]: Buffer.from('0.1.0'),
      'app-header': Buffer.from([0xff, 0x00]),
      ...extra,
    },
  };
}

describe('decideReplay', () => {
  it('when a PRODUCE_FAILED letter is replayed, then the input goes back with its own bytes, key and headers, and provenance', () => {
    const d = decideReplay(letter('PRODUCE_FAILED'), noFilter, replayable, 'fallback', 'calls.dlq');
    expect(d.action).toBe('replay');
    if (d.action !== 'replay') return;
    expect(d.message.topic).toBe('calls.transcribed');
    expect(d.message.key).toEqual(Buffer.from('call-1'));
    expect(String(d.message.value)).toBe('{"call_id":"call-1","text":"hi"}');
    expect(d.message.headers).toEqual({ 'app-header': Buffer.from([0xff, 0x00]), [REPLAYED_FROM_HEADER]: 'calls.dlq/0/41' });
  });

  it('when the input had null-valued headers, then they are null again', () => {
    const d = decideReplay(letter('PRODUCE_FAILED', { [DeadLetterHeaders.nullHeaders]: '["no-value"]', 'no-value': Buffer.alloc(0) }), noFilter, replayable, 'f', 'dlq');
    expect(d.action === 'replay' && d.message.headers['no-value']).toBeNull();
    expect(d.action === 'replay' && d.message.nullHeaders).toEqual(['no-value']);
  });

  it('when tracing had replaced traceparent, then the input\'s own trace headers are restored', () => {
    const d = decideReplay(letter('PRODUCE_FAILED', { traceparent: 'batch-span', [OriginalTraceHeaders.traceparent]: 'input-span', [OriginalTraceHeaders.tracestate]: 'v=1' }), noFilter, replayable, 'f', 'dlq');
    expect(d.action === 'replay' && d.message.headers['traceparent']).toBe('input-span');
    expect(d.action === 'replay' && d.message.headers['tracestate']).toBe('v=1');
  });

  it('when a letter was truncated, then it is skipped for good even with --force', () => {
    const truncated = letter('PRODUCE_FAILED', { [DeadLetterHeaders.truncated]: 'true', [DeadLetterHeaders.originalSize]: '2000000' });
    expect(decideReplay(truncated, { ...noFilter, force: true }, all, 'f', 'dlq')).toEqual({ action: 'skip', reason: 'PRODUCE_FAILED', why: 'truncated' });
  });

  it('when the reason describes the input (SCHEMA_VIOLATION), then it is skipped unless --force', () => {
    expect(decideReplay(letter('SCHEMA_VIOLATION'), noFilter, all, 'f', 'dlq')).toMatchObject({ action: 'skip', why: 'not-replayable' });
    expect(decideReplay(letter('SCHEMA_VIOLATION'), { ...noFilter, force: true }, all, 'f', 'dlq')).toMatchObject({ action: 'replay' });
  });

  it('when the reason is not one this run replays, then the letter is ignored (its own progress untouched)', () => {
    expect(decideReplay(letter('INVALID_JSON'), noFilter, replayable, 'f', 'dlq')).toEqual({ action: 'ignore', reason: 'INVALID_JSON' });
  });

  it('when --since and --until bound the run, then older letters are skipped and the first newer one stops the pass', () => {
    const window = { since: 500, until: 1500, force: false };
    expect(decideReplay(letter('PRODUCE_FAILED', {}, '400'), window, replayable, 'f', 'dlq')).toMatchObject({ action: 'skip', why: 'before-since' });
    expect(decideReplay(letter('PRODUCE_FAILED', {}, '1000'), window, replayable, 'f', 'dlq')).toMatchObject({ action: 'replay' });
    expect(decideReplay(letter('PRODUCE_FAILED', {}, '1600'), window, replayable, 'f', 'dlq')).toEqual({ action: 'stop', reason: 'PRODUCE_FAILED' });
  });

  it('when a record carries no x-source-topic, then the configured input topic is used', () => {
    const l = letter('PRODUCE_FAILED');
    delete l.headers[DeadLetterHeaders.sourceTopic];
    expect(decideReplay(l, noFilter, replayable, 'calls.fallback', 'dlq')).toMatchObject({ action: 'replay', message: { topic: 'calls.fallback' } });
  });
});

describe('parseReplayArgs', () => {
  const known = [...DeadLetterReasons];
  it('when given every flag, then the options say so', () => {
    expect(parseReplayArgs(['--reason', 'PRODUCE_FAILED,SCHEMA_NOT_FOUND', '--since', '2026-12-01T00:00:00Z', '--until', '1796150000000', '--dry-run', '--force', '--group', 'g'], known)).toEqual({
      reasons: ['PRODUCE_FAILED', 'SCHEMA_NOT_FOUND'],
      since: Date.parse('2026-12-01T00:00:00Z'),
      until: 1796150000000,
      dryRun: true,
      force: true,
      group: 'g',
    });
  });

  it.each([
    [['--reason', 'NOPE'], /unknown reason NOPE/],
    [['--since', 'yesterday'], /not a time/],
    [['--since', '2000', '--until', '1000'], /--since is after --until/],
    [['--bogus'], /unknown argument --bogus/],
    [['--group'], /needs a value/],
  ])('when the arguments are %j, then a usage error names the problem', (argv, message) => {
    expect(() => parseReplayArgs(argv, known)).toThrow(ReplayUsageError);
    expect(() => parseReplayArgs(argv, known)).toThrow(message);
  });
});
