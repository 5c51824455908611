import { Tokenizer } from '@huggingface/tokenizers';
import { ModelError } from '@sentiment/errors';
import { RobertaSpecialTokens } from './roberta-special-tokens';
import { chunkText, type TokenCounter } from './text-chunker';
import { preprocessTweetText } from './tweet-preprocessing';

/** A tokenizer.json object plus tokenizer_config.json ({} when absent), as Tokenizers.js takes them. */
export interface TokenizerDefinition {
  tokenizerJson: object;
  tokenizerConfig: object;
  /** Longest encoding, <s> and </s> included. */
  maxTokens: number;
}

/**
 * RoBERTa tokenization as the sentiment model expects it: the model card's tweet preprocessing,
 * byte-level BPE (Tokenizers.js, the pure-JS port of Hugging Face tokenizers), <s> ... </s>,
 * truncation at the model's limit. Synchronous and pure JS, so it runs in worker threads.
 */
export class RobertaTokenizer implements TokenCounter {
  readonly maxTokens: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly specialTokenCount = 2;
  private readonly tokenizer: Tokenizer;

  constructor(definition: TokenizerDefinition) {
    try {
      this.tokenizer = new Tokenizer(definition.tokenizerJson, definition.tokenizerConfig);
    } catch (cause) {
      throw new ModelError('TOKENIZER_FAILED', 'tokenizer definition cannot be loaded', { retriable: false, cause });
    }
    const id = (token: { content: string; id: number }): number => this.tokenizer.token_to_id(token.content) ?? token.id;
    this.bosTokenId = id(RobertaSpecialTokens.bos);
    this.eosTokenId = id(RobertaSpecialTokens.eos);
    this.padTokenId = id(RobertaSpecialTokens.pad);
    if (!Number.isInteger(definition.maxTokens) || definition.maxTokens < 3) {
      throw new ModelError('TOKENIZER_FAILED', `maxTokens must be an integer >= 3 (got ${definition.maxTokens})`, { retriable: false });
    }
    this.maxTokens = definition.maxTokens;
  }

  /** Ids of the preprocessed text without special tokens or truncation. */
  private contentIds(text: string): number[] {
    return this.tokenizer.encode(preprocessTweetText(text), { add_special_tokens: false }).ids;
  }

  /** Model input ids: preprocessing, <s> ... </s>, truncated to `maxTokens` (the end of a long text is dropped). */
  encode(text: string): number[] {
    const ids = this.contentIds(text);
    const room = this.maxTokens - this.specialTokenCount;
    return [this.bosTokenId, ...(ids.length > room ? ids.slice(0, room) : ids), this.eosTokenId];
  }

  /** Tokens `text` needs with <s> and </s>, before truncation: compare with `maxTokens` to detect cut texts. */
  countTokens(text: string): number {
    return this.contentIds(text).length + this.specialTokenCount;
  }

  countContentTokens(text: string): number {
    return this.contentIds(text).length;
  }

  /** Splits a long text into windows that each encode to at most `maxTokens` (see chunkText). */
  chunk(text: string, maxTokens: number = this.maxTokens): string[] {
    return chunkText(text, Math.min(maxTokens, this.maxTokens), this);
  }

  /** Text of `ids` (special tokens dropped): for logs and debugging. */
  decode(ids: readonly number[]): string {
    if (ids.length === 0) return '';
    return this.tokenizer.decode([...ids], { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  }
}
