/**
 * Synthetic call-centre transcripts for the long-call benchmark: calls of 2,000-6,000 tokens in
 * 20-150 segments from two speakers (customer, agent), seeded so every run scores the same calls.
 *
 * Turns are of two kinds. Short ones are backchannels and acknowledgements ("okay", "yeah",
 * "thank you"): in the Switchboard corpus of telephone conversations, backchannels are ~19% of
 * utterances and agreements/acceptances another ~5% (Jurafsky et al., SWBD-DAMSL), so a quarter
 * of the turns here are drawn from SHORT_TURNS. The rest carry the call's tokens: TweetEval test
 * tweets (real English of all sentiments) joined up to each turn's token share, shares varying
 * about threefold around the mean, so turn lengths spread as they do in conversation.
 */
import type { RobertaTokenizer } from '@sentiment/scoring';

/** Backchannels and acknowledgements, with the variants transcripts actually show. */
export const SHORT_TURNS: readonly string[] = [
  'okay', 'Okay.', 'ok', 'yeah', 'Yeah.', 'yes', 'Yes.', 'right', 'Right.', 'uh-huh', 'mm-hmm', 'Mm-hmm.',
  'sure', 'Sure.', 'I see.', 'all right', 'All right.', 'thank you', 'Thank you.', 'thanks', 'Thanks.',
  'great', 'Great.', 'perfect', 'no problem', 'got it', 'Got it.', 'exactly', 'oh', 'Oh, okay.',
];

/** Share of turns that are short (backchannels, acknowledgements). */
export const SHORT_TURN_SHARE = 0.25;

export interface CallSegment {
  speaker: 'customer' | 'agent';
  text: string;
  start_ms: number;
  end_ms: number;
}

export interface GeneratedCall {
  call_id: string;
  segments: CallSegment[];
  /** Tokens of all segments as the model's tokenizer counts them (special tokens included). */
  tokens: number;
}

/** mulberry32: small, seeded, good enough to pick lengths and texts reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CallMixOptions {
  count: number;
  seed: number;
  minTokens?: number;
  maxTokens?: number;
  minSegments?: number;
  maxSegments?: number;
}

/** `count` calls built from `tweets`, each within the token and segment ranges. */
export function generateCalls(tweets: readonly string[], tokenizer: RobertaTokenizer, options: CallMixOptions): GeneratedCall[] {
  const random = seededRandom(options.seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const minTokens = options.minTokens ?? 2000;
  const maxTokens = options.maxTokens ?? 6000;
  const calls: GeneratedCall[] = [];
  let tweetAt = Math.floor(random() * tweets.length);
  const nextTweet = () => tweets[tweetAt++ % tweets.length] as string;
  for (let c = 0; c < options.count; c++) {
    const target = between(minTokens, maxTokens);
    const segmentCount = between(options.minSegments ?? 20, options.maxSegments ?? 150);
    const short = Array.from({ length: segmentCount }, () => random() < SHORT_TURN_SHARE);
    const shortTexts = short.map((s) => (s ? (SHORT_TURNS[Math.floor(random() * SHORT_TURNS.length)] as string) : ''));
    const shortTokens = shortTexts.reduce((n, t) => n + (t ? tokenizer.countTokens(t) : 0), 0);
    const longTurns = short.filter((s) => !s).length || 1;
    // Token shares of the long turns: weights from 0.5 to 1.5, scaled to what the call has left.
    const weights = short.map((s) => (s ? 0 : 0.5 + random()));
    const weightSum = weights.reduce((a, b) => a + b, 0) || 1;
    const budget = Math.max(longTurns * 8, target - shortTokens);
    const segments: CallSegment[] = [];
    let tokens = 0;
    let clock = 0;
    let speaker: CallSegment['speaker'] = random() < 0.5 ? 'customer' : 'agent';
    for (let s = 0; s < segmentCount; s++) {
      let text = shortTexts[s] as string;
      if (!short[s]) {
        const want = Math.max(8, Math.round((budget * (weights[s] as number)) / weightSum));
        const parts: string[] = [];
        let have = 2;
        while (have < want) {
          const tweet = nextTweet();
          parts.push(tweet);
          have += tokenizer.countTokens(tweet) - 2;
        }
        text = parts.join(' ');
      }
      const n = tokenizer.countTokens(text);
      tokens += n;
      // About 2.5 words a second, a little silence between turns.
      const ms = Math.max(400, Math.round(n * 300));
      segments.push({ speaker, text, start_ms: clock, end_ms: clock + ms });
      clock += ms + between(100, 900);
      // Mostly alternating; sometimes one speaker goes on.
      if (random() < 0.85) speaker = speaker === 'customer' ? 'agent' : 'customer';
    }
    calls.push({ call_id: `call-${options.seed}-${c}`, segments, tokens });
  }
  return calls;
}

/**
 * What a bounded cache of scores keyed by the preprocessed text would have hit over these calls,
 * in order, with `capacity` entries (least recently used out): share of segments, and share of
 * tokens (what the model would not have had to run).
 */
export function cacheHitRate(calls: readonly GeneratedCall[], key: (text: string) => string, countTokens: (text: string) => number, capacity: number): { segments: number; hits: number; tokens: number; hitTokens: number } {
  const lru = new Map<string, true>();
  let segments = 0;
  let hits = 0;
  let tokens = 0;
  let hitTokens = 0;
  for (const call of calls) {
    for (const s of call.segments) {
      const k = key(s.text);
      const n = countTokens(s.text);
      segments++;
      tokens += n;
      if (lru.has(k)) {
        hits++;
        hitTokens += n;
        lru.delete(k);
      } else if (lru.size >= capacity) {
        const oldest = lru.keys().next().value;
        if (oldest !== undefined) lru.delete(oldest);
      }
      lru.set(k, true);
    }
  }
  return { segments, hits, tokens, hitTokens };
}
