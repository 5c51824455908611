import type { SchemaType } from './schema-type';

/*
 * The score of one text (or a weighted aggregate of several), the same shape for every scorer,
 * in every result on `calls.sentiment` and every `/analyze` answer:
 * - `scores`: softmax probabilities for a model, VADER's neg/neu/pos proportions for VADER;
 * - `confidence`: probability of `label` for a model, |compound| for VADER;
 * - `low_confidence`: `confidence` under the configured threshold (flagged, never dropped);
 * - `compound`: VADER's normalised compound score in [-1, 1], only VADER sets it;
 * - `model`: the scorer that produced it, e.g. `vader` or `roberta-onnx` (joined with `+` in an
 *   aggregate after a partial fallback).
 */

export const SentimentLabels = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SentimentLabels)[number];

export const sentimentLabelSchema = { enum: SentimentLabels } as const;

export const labelScoresSchema = {
  type: 'object',
  required: ['negative', 'neutral', 'positive'],
  properties: {
    negative: { type: 'number', minimum: 0, maximum: 1 },
    neutral: { type: 'number', minimum: 0, maximum: 1 },
    positive: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

export const scoreSchema = {
  type: 'object',
  required: ['label', 'scores', 'confidence', 'low_confidence', 'model'],
  properties: {
    label: sentimentLabelSchema,
    scores: labelScoresSchema,
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    low_confidence: { type: 'boolean' },
    compound: { type: 'number', minimum: -1, maximum: 1 },
    model: { type: 'string' },
  },
} as const;

export type LabelScores = SchemaType<typeof labelScoresSchema>;
export type Score = SchemaType<typeof scoreSchema>;
