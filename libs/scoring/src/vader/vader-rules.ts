/**
 * The rule tables of VADER (Hutto & Gilbert, ICWSM 2014), as published in
 * cjhutto/vaderSentiment at 44fc044 (MIT). These are data, not code: the values must
 * match the reference exactly or the scores drift.
 */

/** Valence added by an intensifier ("very good") and subtracted by a dampener ("barely good"). */
export const BOOSTER_INCREMENT = 0.293;
export const BOOSTER_DECREMENT = -0.293;

/** Extra valence of a word written in ALL CAPS when the rest of the text is not. */
export const ALL_CAPS_INCREMENT = 0.733;

/** Factor applied to a negated valence: "not good" is mildly negative, not the mirror of "good". */
export const NEGATION_SCALAR = -0.74;

/** `alpha` of the compound normalisation x / sqrt(x^2 + alpha). */
export const NORMALIZATION_ALPHA = 15;

/** Each "!" adds this much emphasis, counting at most `EXCLAMATION_MAX`. */
export const EXCLAMATION_INCREMENT = 0.292;
export const EXCLAMATION_MAX = 4;

/** Two or three "?" add this much each; four or more add `QUESTION_CAP`. */
export const QUESTION_INCREMENT = 0.18;
export const QUESTION_CAP = 0.96;

/** Words that negate a lexicon word up to three positions after them (plus any word containing "n't"). */
export const NEGATIONS: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

const intensifiers = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably',
  'decidedly', 'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially',
  'exceptional', 'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping', 'flippin',
  'frackin', 'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fuckin',
  'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely', 'incredible',
  'incredibly', 'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely',
  'quite', 'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'total', 'totally',
  'tremendous', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utter', 'utterly', 'very',
];
const dampeners = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less',
  'little', 'marginal', 'marginally', 'occasional', 'occasionally', 'partly', 'scarce',
  'scarcely', 'slight', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];

/**
 * Degree modifiers and their increments. The two-word entries ("kind of") never match a
 * single token; they only match as the bigram checked before a lexicon word.
 */
export const BOOSTERS: ReadonlyMap<string, number> = new Map<string, number>([
  ...intensifiers.map((w): [string, number] => [w, BOOSTER_INCREMENT]),
  ...dampeners.map((w): [string, number] => [w, BOOSTER_DECREMENT]),
]);

/**
 * Phrases containing lexicon words whose meaning is not the sum of their words; the
 * phrase's valence replaces the word's. 44fc044 has "beating heart" at 3.1 and adds
 * "broken heart" (PyPI 3.3.2 has 3.5 and no "broken heart"): we follow 44fc044.
 */
export const SPECIAL_CASES: ReadonlyMap<string, number> = new Map<string, number>([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['badass', 1.5],
  ['bus stop', 0.0],
  ['yeah right', -2],
  ['kiss of death', -1.5],
  ['to die for', 3],
  ['beating heart', 3.1],
  ['broken heart', -2.9],
]);
