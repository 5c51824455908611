import { describe, expect, it } from '@jest/globals';
import { deadLetterSource, describeLedgerReport, Ledger, type ReadMessage, resultSource } from '@sentiment/testing';

const INPUT = 'calls.transcribed';

function result(source: unknown, offset = '0'): ReadMessage {
  return {
    topic: 'calls.sentiment',
    partition: 0,
    offset,
    key: null,
    value: Buffer.from(JSON.stringify({ label: 'positive', source })),
    headers: {},
    timestamp: '0',
  };
}

function deadLetter(headers: Record<string, string>, offset = '0'): ReadMessage {
  return {
    topic: 'calls.transcribed.dlq',
    partition: 0,
    offset,
    key: null,
    value: Buffer.from('not json'),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    timestamp: '0',
  };
}

const inputs = [
  { topic: INPUT, partition: 0, offset: '0' },
  { topic: INPUT, partition: 0, offset: '1' },
  { topic: INPUT, partition: 1, offset: '0' },
];

describe('Ledger', () => {
  it('when every input has exactly one result or dead letter, then the report is ok', () => {
    const report = new Ledger(INPUT)
      .addInputs(inputs)
      .addResults([result({ topic: INPUT, partition: 0, offset: 0 }), result({ topic: INPUT, partition: 1, offset: '0' })])
      .addDeadLetters([deadLetter({ 'x-source-partition': '0', 'x-source-offset': '1', 'x-source-topic': INPUT })])
      .report();
    expect(report).toMatchObject({ ok: true, inputs: 3, results: 2, deadLetters: 1, lost: [], duplicates: [], unknown: [] });
  });

  it('when an input has no outcome, then it is reported lost', () => {
    const report = new Ledger(INPUT)
      .addInputs(inputs)
      .addResults([result({ topic: INPUT, partition: 0, offset: 0 })])
      .report();
    expect(report.ok).toBe(false);
    expect(report.lost.map((r) => `${r.partition}/${r.offset}`)).toEqual(['0/1', '1/0']);
  });

  it('when an input has two results, or a result and a dead letter, then it is reported duplicate', () => {
    const report = new Ledger(INPUT)
      .addInputs(inputs)
      .addResults([
        result({ topic: INPUT, partition: 0, offset: 0 }, '0'),
        result({ topic: INPUT, partition: 0, offset: 0 }, '1'),
        result({ topic: INPUT, partition: 1, offset: 0 }, '2'),
      ])
      .addDeadLetters([
        deadLetter({ 'x-source-partition': '0', 'x-source-offset': '1' }),
        deadLetter({ 'x-source-partition': '1', 'x-source-offset': '0' }, '1'),
      ])
      .report();
    expect(report.ok).toBe(false);
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toEqual([
      { source: { topic: INPUT, partition: 0, offset: '0' }, results: 2, deadLetters: 0 },
      { source: { topic: INPUT, partition: 1, offset: '0' }, results: 1, deadLetters: 1 },
    ]);
    expect(describeLedgerReport(report)).toContain('duplicates=2 [0/0, 1/0]');
  });

  it('when an outcome names no known input or has no readable source, then it is reported unknown', () => {
    const report = new Ledger(INPUT)
      .addInputs(inputs.slice(0, 1))
      .addResults([
        result({ topic: INPUT, partition: 0, offset: 0 }, '0'),
        result({ topic: 'other.topic', partition: 0, offset: 0 }, '1'),
        result({ topic: INPUT, partition: 9, offset: 0 }, '2'),
        result(undefined, '3'),
      ])
      .addDeadLetters([deadLetter({ 'x-source-partition': 'zero', 'x-source-offset': '1' })])
      .report();
    expect(report.ok).toBe(false);
    expect(report.unknown.map((u) => u.at)).toEqual([
      'calls.sentiment/0/1',
      'calls.sentiment/0/2',
      'calls.sentiment/0/3',
      'calls.transcribed.dlq/0/0',
    ]);
  });

  it('when inputs are added without a topic, then the ledger topic is assumed', () => {
    const report = new Ledger(INPUT)
      .addInputs([{ partition: 3, offset: '42' }])
      .addResults([result({ topic: INPUT, partition: 3, offset: '42' })])
      .report();
    expect(report.ok).toBe(true);
  });
});

describe('source extraction', () => {
  it('when offsets are numbers or numeric strings, then they come back as canonical strings', () => {
    expect(resultSource(result({ topic: INPUT, partition: 2, offset: '0012' }))).toEqual({ topic: INPUT, partition: 2, offset: '12' });
    expect(resultSource(result({ partition: 2, offset: 7 }))).toEqual({ partition: 2, offset: '7' });
    expect(deadLetterSource(deadLetter({ 'x-source-partition': '4', 'x-source-offset': '9007199254740993' }))).toEqual({
      partition: 4,
      offset: '9007199254740993',
    });
  });

  it('when the value is not JSON or the source is malformed, then there is no source', () => {
    expect(resultSource({ value: Buffer.from('{oops') })).toBeUndefined();
    expect(resultSource({ value: null })).toBeUndefined();
    expect(resultSource(result({ partition: -1, offset: 0 }))).toBeUndefined();
    expect(resultSource(result({ partition: 1, offset: 1.5 }))).toBeUndefined();
    expect(deadLetterSource(deadLetter({ 'x-source-partition': '1' }))).toBeUndefined();
  });
});
