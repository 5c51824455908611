/** RoBERTa's special tokens and their fixed ids in the 50,265-token vocabulary. */
export const RobertaSpecialTokens = {
  bos: { content: '<s>', id: 0 },
  pad: { content: '<pad>', id: 1 },
  eos: { content: '</s>', id: 2 },
  unk: { content: '<unk>', id: 3 },
  mask: { content: '<mask>', id: 50264 },
} as const;

/** What `max_position_embeddings` (514) leaves for tokens: RoBERTa offsets positions by padding_idx + 1. */
export const ROBERTA_POSITION_OFFSET = 2;

/** The limit when nothing in the model directory says otherwise (roberta-base: 514 - 2). */
export const DEFAULT_ROBERTA_MAX_TOKENS = 512;
