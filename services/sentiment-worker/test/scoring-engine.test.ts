import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { InvalidInputError } from '@sentiment/errors';
import { createWorkerMetrics, silentLogger } from '@sentiment/observability';
import { createAnalyzeHandler } from '../src/analyze-handler';
import { loadConfig } from '../src/config';
import { createScoringEngine, type ScoringEngine } from '../src/scoring-engine';

// The real engine on VADER (SCORER=vader: no model needed), as the worker builds it.
let engine: ScoringEngine;

beforeAll(async () => {
  engine = await createScoringEngine(loadConfig({ SCORER: 'vader' }).env, silentLogger, createWorkerMetrics(new Registry()));
});

afterAll(async () => {
  await engine.close();
});

describe('ScoringEngine.analyze', () => {
  it('when texts and calls are mixed, then there is one outcome per input, in order, a text i named call i', async () => {
    const outcomes = await engine.analyze([
      'I love this, thank you!',
      { call_id: 'call-7', segments: [{ speaker: 'agent', text: 'How can I help?' }, { speaker: 'caller', text: 'This is awful.' }] },
      'This is terrible.',
    ]);
    expect(outcomes.map((o) => [o.call_id, o.ok])).toEqual([
      ['0', true],
      ['call-7', true],
      ['2', true],
    ]);
    const [first, second, third] = outcomes.map((o) => (o.ok ? o.analysis : undefined));
    expect(first?.overall.label).toBe('positive');
    expect(third?.overall.label).toBe('negative');
    expect(Object.keys(second?.speakers ?? {})).toEqual(['agent', 'caller']);
  });

  it('when one call has no text, then it alone is NO_TEXT and its neighbours are scored', async () => {
    const outcomes = await engine.analyze(['good', { call_id: 'empty', segments: [{ speaker: 'a', text: '   ' }] }, 'bad']);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed?.ok === false && failed.error).toBeInstanceOf(InvalidInputError);
    expect(failed?.ok === false && failed.error.code).toBe('NO_TEXT');
  });

  it('when POST /analyze is answered, then it is the engine analysis of the same texts and segments', async () => {
    const analyze = createAnalyzeHandler(engine);
    const texts = ['The agent was great', 'I waited an hour'];
    const answer = await analyze({ kind: 'texts', texts });
    const direct = await engine.analyze(texts);
    expect(answer).toEqual({ results: direct.map((o) => (o.ok ? { ...o.analysis.overall, chunks: o.analysis.chunks } : undefined)) });

    const segments = [{ speaker: 'agent', text: 'Thanks for calling' }, { speaker: 'caller', text: 'My order never arrived' }];
    const transcript = await analyze({ kind: 'segments', segments });
    const [call] = await engine.analyze([{ call_id: 'http', segments }]);
    const { call_id: _id, ...expected } = call?.ok ? call.analysis : { call_id: '' };
    expect(transcript).toEqual(expected);
  });
});
