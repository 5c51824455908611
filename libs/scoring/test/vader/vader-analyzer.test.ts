import { describe, it, expect } from '@jest/globals';
import { analyzeVader } from '../../src/vader/analyze-vader';
import { VaderAnalyzer, type VaderPolarity } from '../../src/vader/vader-analyzer';

type Case = [name: string, text: string, expected: VaderPolarity];

// Expected values are the output of cjhutto/vaderSentiment 44fc044 `polarity_scores` for each text.
const referenceCases: Case[] = [
  ['a negation in capitals negates like a lower-case one', 'I am NOT happy', { neg: 0.5, neu: 0.5, pos: 0.0, compound: -0.4585 }],
  ['a lower-case negation negates', 'I am not happy', { neg: 0.5, neu: 0.5, pos: 0.0, compound: -0.4585 }],
  ['a contraction negates', "I don't like it", { neg: 0.413, neu: 0.587, pos: 0.0, compound: -0.2755 }],
  ['an emoji is scored through its description', 'Catch 😁 today', { neg: 0.0, neu: 0.667, pos: 0.333, compound: 0.4588 }],
  ['an emoji glued to a word is split from it', 'so happy😂', { neg: 0.139, neu: 0.292, pos: 0.569, compound: 0.7841 }],
  ['a beating-heart emoji follows the 44fc044 idiom value', 'Officially addicted 💓', { neg: 0.33, neu: 0.22, pos: 0.451, compound: 0.2732 }],
  ['a broken-heart emoji follows the 44fc044 idiom value', 'It is heartbreaking 😭💔', { neg: 0.549, neu: 0.22, pos: 0.231, compound: -0.7003 }],
  ['the clause after "but" dominates', 'The food was good, but the service was terrible', { neg: 0.317, neu: 0.534, pos: 0.149, compound: -0.4939 }],
  ['"but" rewrites the first equal value like the reference', 'It was nice but okay', { neg: 0.0, neu: 0.472, pos: 0.528, compound: 0.3291 }],
  ['an intensifier boosts', 'The movie was very good', { neg: 0.0, neu: 0.556, pos: 0.444, compound: 0.4927 }],
  ['a dampener reduces', 'The movie was barely good', { neg: 0.0, neu: 0.605, pos: 0.395, compound: 0.3832 }],
  ['"kind of" dampens', 'The book was kind of good', { neg: 0.0, neu: 0.657, pos: 0.343, compound: 0.3832 }],
  ['"sort of" dampens', 'The book was sort of good', { neg: 0.0, neu: 0.657, pos: 0.343, compound: 0.3832 }],
  ['a word in ALL CAPS among lower case is emphasised', 'The movie was GOOD', { neg: 0.0, neu: 0.452, pos: 0.548, compound: 0.5622 }],
  ['a text all in capitals gets no emphasis', 'THE MOVIE WAS GOOD', { neg: 0.0, neu: 0.508, pos: 0.492, compound: 0.4404 }],
  ['an ALL CAPS intensifier boosts more', 'The movie was VERY good', { neg: 0.0, neu: 0.505, pos: 0.495, compound: 0.6028 }],
  ['exclamation marks add emphasis', 'The movie was good!!!', { neg: 0.0, neu: 0.443, pos: 0.557, compound: 0.5826 }],
  ['more than four exclamation marks count as four', 'The movie was good!!!!!!!', { neg: 0.0, neu: 0.424, pos: 0.576, compound: 0.6209 }],
  ['two question marks add emphasis', 'The movie was good??', { neg: 0.0, neu: 0.479, pos: 0.521, compound: 0.504 }],
  ['four or more question marks are capped', 'The movie was good?????', { neg: 0.0, neu: 0.437, pos: 0.563, compound: 0.594 }],
  ['"the shit" is an idiom', 'With VADER, sentiment analysis is the shit!', { neg: 0.0, neu: 0.583, pos: 0.417, compound: 0.6476 }],
  ['"the bomb" is an idiom', 'this movie is the bomb', { neg: 0.0, neu: 0.5, pos: 0.5, compound: 0.6124 }],
  ['"kiss of death" is an idiom', 'that is one great kiss of death', { neg: 0.441, neu: 0.276, pos: 0.283, compound: -0.3182 }],
  ['"never this" intensifies instead of negating', 'Sentiment analysis has never been this good!', { neg: 0.0, neu: 0.621, pos: 0.379, compound: 0.5672 }],
  ['"without a doubt" does not negate', 'Without a doubt, excellent idea.', { neg: 0.0, neu: 0.341, pos: 0.659, compound: 0.7013 }],
  ['"the least" negates', 'Roger Dodger is one of the least compelling variations on this theme.', { neg: 0.132, neu: 0.868, pos: 0.0, compound: -0.1695 }],
  ['"at least" does not negate', 'Roger Dodger is at least compelling as a variation on the theme.', { neg: 0.0, neu: 0.853, pos: 0.147, compound: 0.2263 }],
  ['"no" before a lexicon word negates it', 'no problem', { neg: 0.0, neu: 0.307, pos: 0.693, compound: 0.3089 }],
  ['emoticons survive punctuation stripping', 'Make sure you :) or :D today!', { neg: 0.0, neu: 0.294, pos: 0.706, compound: 0.8633 }],
  ['slang, dampeners and "But" combine', "Today only kinda sux! But I'll get by, lol", { neg: 0.127, neu: 0.556, pos: 0.317, compound: 0.5249 }],
  ['a text of punctuation only is one neutral token', '!!!', { neg: 0.0, neu: 1.0, pos: 0.0, compound: 0.0 }],
  ['a text of whitespace only has no token', '   \t ', { neg: 0.0, neu: 0.0, pos: 0.0, compound: 0.0 }],
  ['a text without sentiment words is neutral', 'The meeting is at 3 pm in room 12', { neg: 0.0, neu: 1.0, pos: 0.0, compound: 0.0 }],
];

describe('analyzeVader', () => {
  it.each(referenceCases)('when %s (%j), then it scores like the reference', (_name, text, expected) => {
    expect(analyzeVader(text)).toEqual(expected);
  });

  it('when the text is empty, then every value is zero', () => {
    expect(analyzeVader('')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
  });

  it.each([null, undefined, 42, {}, ['good']])('when given the non-string %j, then it scores zeros without throwing', (value) => {
    expect(analyzeVader(value as unknown as string)).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
  });

  it('when the same text is scored after other texts, then the reused buffers do not leak between calls', () => {
    const first = analyzeVader('It was nice but okay');
    analyzeVader('a much longer text with many many words that grows the buffers: good bad ugly '.repeat(20));
    analyzeVader('GREAT');
    expect(analyzeVader('It was nice but okay')).toEqual(first);
  });

  it('when a text has thousands of tokens and a "but", then it is scored (the but rule is not quadratic)', () => {
    const text = 'good nice okay bad '.repeat(5000) + 'but great';
    const p = analyzeVader(text);
    expect(p.compound).toBeGreaterThan(0.99);
  });
});

describe('VaderAnalyzer with injected lexicons', () => {
  const analyzer = new VaderAnalyzer({
    words: new Map([
      ['zorg', 2],
      ['blah', -1],
    ]),
    emojis: new Map([[0x1f47e, 'zorg']]),
  });

  it('when a word is in the injected lexicon, then it carries that valence', () => {
    expect(analyzer.polarityScores('zorg')).toEqual({ neg: 0, neu: 0, pos: 1, compound: 0.4588 });
  });

  it('when an injected emoji appears, then its description is scored', () => {
    expect(analyzer.polarityScores('👾')).toEqual(analyzer.polarityScores('zorg'));
  });

  it('when a word is only in the packaged lexicon, then the injected analyzer ignores it', () => {
    expect(analyzer.polarityScores('good').compound).toBe(0);
  });
});
