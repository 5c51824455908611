/** The shape of a RoBERTa sequence classifier (the fields of config.json the graph needs). */
export interface RobertaArchitecture {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  labels: number;
  layerNormEps: number;
  padTokenId: number;
  /** Std of the random initializer (config.initializer_range). */
  initializerRange: number;
}

/** roberta-base as in cardiffnlp/twitter-roberta-base-sentiment-latest's config.json. */
export const ROBERTA_BASE: RobertaArchitecture = {
  layers: 12,
  hidden: 768,
  heads: 12,
  intermediate: 3072,
  vocabSize: 50265,
  maxPositions: 514,
  labels: 3,
  layerNormEps: 1e-5,
  padTokenId: 1,
  initializerRange: 0.02,
};

/** Parameter count (weights and biases) of the classifier. */
export function robertaParameterCount(a: RobertaArchitecture): number {
  const embeddings = (a.vocabSize + a.maxPositions + 1) * a.hidden + 2 * a.hidden;
  const attention = 4 * (a.hidden * a.hidden + a.hidden) + 2 * a.hidden;
  const ffn = a.hidden * a.intermediate + a.intermediate + a.intermediate * a.hidden + a.hidden + 2 * a.hidden;
  const head = a.hidden * a.hidden + a.hidden + a.hidden * a.labels + a.labels;
  return embeddings + a.layers * (attention + ffn) + head;
}
