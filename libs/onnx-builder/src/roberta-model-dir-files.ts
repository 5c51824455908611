import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildRobertaTokenizerJson, ModelDirFiles, parseMergesTxt, RobertaSpecialTokens, robertaTokenizerAssetsDir } from '@sentiment/scoring';

/** The hub's tokenizer_config.json for a RoBERTa tokenizer (no chat template, 512-token limit). */
function tokenizerConfig(): Record<string, unknown> {
  const { bos, eos, unk, pad, mask } = RobertaSpecialTokens;
  return {
    tokenizer_class: 'RobertaTokenizer',
    add_prefix_space: false,
    model_max_length: 512,
    bos_token: bos.content,
    eos_token: eos.content,
    sep_token: eos.content,
    cls_token: bos.content,
    unk_token: unk.content,
    pad_token: pad.content,
    mask_token: mask.content,
    clean_up_tokenization_spaces: false,
  };
}

/** The tokenizer's vocabulary, read from the in-repo assets. */
export async function readAssetVocab(): Promise<Record<string, number>> {
  return JSON.parse(await readFile(path.join(robertaTokenizerAssetsDir(), ModelDirFiles.vocab), 'utf8')) as Record<string, number>;
}

/**
 * Writes everything a model directory holds besides the ONNX files, as on the hub: the tokenizer
 * (tokenizer.json built from the in-repo vocab.json + merges.txt, which are copied too),
 * tokenizer_config.json, special_tokens_map.json and config.json (`configPatch` merged in).
 */
export async function writeRobertaSupportFiles(dir: string, configPatch: Record<string, unknown>): Promise<void> {
  const assets = robertaTokenizerAssetsDir();
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  for (const file of [ModelDirFiles.vocab, ModelDirFiles.merges, ModelDirFiles.specialTokensMap]) {
    await copyFile(path.join(assets, file), path.join(dir, file));
  }
  const vocab = JSON.parse(await readFile(path.join(assets, ModelDirFiles.vocab), 'utf8')) as Record<string, number>;
  const merges = parseMergesTxt(await readFile(path.join(assets, ModelDirFiles.merges), 'utf8'));
  await writeFile(path.join(dir, ModelDirFiles.tokenizerJson), JSON.stringify(buildRobertaTokenizerJson(vocab, merges)));
  await writeFile(path.join(dir, ModelDirFiles.tokenizerConfig), `${JSON.stringify(tokenizerConfig(), null, 2)}\n`);
  const config = JSON.parse(await readFile(path.join(assets, ModelDirFiles.config), 'utf8')) as Record<string, unknown>;
  await writeFile(path.join(dir, ModelDirFiles.config), `${JSON.stringify({ ...config, ...configPatch }, null, 2)}\n`);
}
