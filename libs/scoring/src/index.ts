export { SentimentLabels, type SentimentLabel, type LabelScores, type Score, type Scorer } from './scorer';
