import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { KeywordScorer, wholeText, wordWindowChunker } from './keyword-scorer';

// Starts angry, ends happy; the middle is neutral.
const angryToHappy = [
  { speaker: 'customer', text: 'I am angry this is terrible and awful' },
  { speaker: 'agent', text: 'sorry that is awful let me check' },
  { speaker: 'customer', text: 'the service is broken and I hate it' },
  { speaker: 'agent', text: 'I found the issue and applied a fix' },
  { speaker: 'customer', text: 'oh it works now great' },
  { speaker: 'customer', text: 'great thanks that is wonderful I am happy' },
];

describe('analyzeTranscript trajectory', () => {
  it('when a call starts angry and ends happy, then the trajectory is improving by weight', async () => {
    const analysis = await analyzeTranscript({ call_id: 't', segments: angryToHappy }, { scorer: new KeywordScorer(), chunk: wholeText });
    const t = analysis.trajectory;
    expect(t.basis).toBe('weight');
    expect(t.single_chunk).toBe(false);
    expect(t.first_third.label).toBe('negative');
    expect(t.last_third.label).toBe('positive');
    expect(t.delta).toBeGreaterThan(0.5);
    expect(t.trend).toBe('improving');
    expect(t.delta).toBeCloseTo(t.last_third.polarity - t.first_third.polarity, 12);
    // Thirds by weight: each window holds a third of the call's words.
    expect(t.first_third.weight).toBeCloseTo(analysis.units / 3, 9);
    expect(t.last_third.weight).toBeCloseTo(analysis.units / 3, 9);
  });

  it('when the same call is reversed, then the trajectory is worsening', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 't', segments: [...angryToHappy].reverse() },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    expect(analysis.trajectory.trend).toBe('worsening');
    expect(analysis.trajectory.delta).toBeLessThan(-0.5);
  });

  it('when every segment has timings, then thirds are by time, not by words', async () => {
    // The happy ending is short in words but takes the whole last two thirds of the call's time.
    const segments = [
      { speaker: 'c', text: 'angry terrible awful broken hate worst furious unacceptable angry terrible', start_ms: 0, end_ms: 10_000 },
      { speaker: 'c', text: 'happy', start_ms: 10_000, end_ms: 30_000 },
    ];
    const timed = await analyzeTranscript({ call_id: 't', segments }, { scorer: new KeywordScorer(), chunk: wholeText });
    expect(timed.trajectory.basis).toBe('time');
    expect(timed.trajectory.first_third.label).toBe('negative');
    expect(timed.trajectory.last_third.label).toBe('positive');
    expect(timed.trajectory.last_third.chunks).toBe(1);

    // Without timings, the last third of the words is still mostly the angry segment.
    const untimed = await analyzeTranscript(
      { call_id: 't', segments: segments.map(({ speaker, text }) => ({ speaker, text })) },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    expect(untimed.trajectory.basis).toBe('weight');
    expect(untimed.trajectory.last_third.label).toBe('negative');
  });

  it('when one segment lacks timings or has end <= start, then thirds fall back to weight', async () => {
    const partly = angryToHappy.map((s, i) => (i === 2 ? s : { ...s, start_ms: i * 100, end_ms: i * 100 + 50 }));
    const a = await analyzeTranscript({ call_id: 't', segments: partly }, { scorer: new KeywordScorer(), chunk: wholeText });
    expect(a.trajectory.basis).toBe('weight');
    const zero = angryToHappy.map((s, i) => ({ ...s, start_ms: i * 100, end_ms: i === 3 ? i * 100 : i * 100 + 50 }));
    const b = await analyzeTranscript({ call_id: 't', segments: zero }, { scorer: new KeywordScorer(), chunk: wholeText });
    expect(b.trajectory.basis).toBe('weight');
  });

  it('when a text-only event is chunked, then thirds follow chunk position and weight', async () => {
    const text = angryToHappy.map((s) => s.text).join(' ');
    const analysis = await analyzeTranscript({ call_id: 't', text }, { scorer: new KeywordScorer(), chunk: wordWindowChunker(8) });
    expect(analysis.chunks).toBeGreaterThan(3);
    expect(analysis.trajectory.basis).toBe('weight');
    expect(analysis.trajectory.trend).toBe('improving');
  });

  it('when the call is one chunk, then both thirds are that chunk, delta is 0 and single_chunk is set', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 't', text: 'angry at first but happy and great at the end' },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    const t = analysis.trajectory;
    expect(t.single_chunk).toBe(true);
    expect(t.delta).toBe(0);
    expect(t.trend).toBe('stable');
    const { models: _m, ...overall } = analysis.overall;
    const { polarity: _p, chunks: _c, weight: _w, ...first } = t.first_third;
    expect(first).toEqual(overall);
  });

  it('when the change is within the trend threshold, then the trend is stable', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 't', segments: angryToHappy },
      { scorer: new KeywordScorer(), chunk: wholeText, trendThreshold: 5 },
    );
    expect(analysis.trajectory.trend).toBe('stable');
  });

  it('when the scores are VADER-style, then polarity is the compound', async () => {
    const analysis = await analyzeTranscript({ call_id: 't', segments: angryToHappy }, { scorer: new KeywordScorer('vader'), chunk: wholeText });
    const t = analysis.trajectory;
    expect(t.first_third.polarity).toBe(t.first_third.compound);
    expect(t.last_third.polarity).toBe(t.last_third.compound);
    expect(t.trend).toBe('improving');
  });
});
