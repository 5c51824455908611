import { RobertaSpecialTokens } from './roberta-special-tokens';

/** One entry of tokenizer.json's `added_tokens`. */
export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** The subset of Hugging Face's tokenizer.json that a RoBERTa byte-level BPE tokenizer uses. */
export interface RobertaTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: null;
  pre_tokenizer: { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  post_processor: {
    type: 'RobertaProcessing';
    sep: [string, number];
    cls: [string, number];
    trim_offsets: boolean;
    add_prefix_space: boolean;
  };
  decoder: { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: string;
    end_of_word_suffix: string;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: string[];
  };
}

/** Parses merges.txt: a `#version` header line, then one "left right" pair per line. */
export function parseMergesTxt(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line, index) => line.length > 0 && !(index === 0 && line.startsWith('#version')));
}

const special = (content: string, id: number, lstrip = false): AddedTokenJson => ({
  id,
  content,
  single_word: false,
  lstrip,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * Builds the tokenizer.json that `RobertaTokenizerFast` derives from vocab.json + merges.txt
 * (byte-level pre-tokenizer without prefix space, BPE, RobertaProcessing, byte-level decoder),
 * so hub folders that ship only the two legacy files load the same way as ones with tokenizer.json.
 */
export function buildRobertaTokenizerJson(vocab: Record<string, number>, merges: readonly string[]): RobertaTokenizerJson {
  const { bos, pad, eos, unk, mask } = RobertaSpecialTokens;
  const idOf = (content: string, fallback: number): number => vocab[content] ?? fallback;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      special(bos.content, idOf(bos.content, bos.id)),
      special(pad.content, idOf(pad.content, pad.id)),
      special(eos.content, idOf(eos.content, eos.id)),
      special(unk.content, idOf(unk.content, unk.id)),
      // <mask> swallows the space before it, as in special_tokens_map.json.
      special(mask.content, idOf(mask.content, mask.id), true),
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [eos.content, idOf(eos.content, eos.id)],
      cls: [bos.content, idOf(bos.content, bos.id)],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [...merges],
    },
  };
}
