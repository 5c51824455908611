import { resolve } from 'node:path';
import { describeError } from '@sentiment/errors';
import { createRobertaScorer, VaderScorer } from '@sentiment/scoring';

const SAMPLE = 'Thank you so much, the agent was wonderful and fixed my problem!';

/**
 * `node dist/services/sentiment-worker/src/main.js --self-test`: the image's smoke check.
 * Scores one text with VADER, and with RoBERTa when MODEL_DIR holds a model. Exit 0 when every
 * scorer that should work did; RoBERTa missing is reported but only fails with --require-model.
 */
export async function runSelfTest(): Promise<number> {
  const requireModel = process.argv.includes('--require-model');
  const report: Record<string, unknown> = {};
  let ok = true;
  const vader = new VaderScorer();
  try {
    const [score] = await vader.score([SAMPLE]);
    report['vader'] = score;
    if (score?.label !== 'positive') ok = false;
  } catch (err) {
    report['vader'] = { error: describeError(err) };
    ok = false;
  } finally {
    await vader.close();
  }
  const modelDir = resolve(process.env['MODEL_DIR'] ?? 'models/twitter-roberta-base-sentiment-latest');
  try {
    const roberta = await createRobertaScorer({ modelDir, threads: 1 });
    try {
      const [score] = await roberta.score([SAMPLE]);
      report['roberta'] = score;
    } finally {
      await roberta.close();
    }
  } catch (err) {
    report['roberta'] = { error: describeError(err), modelDir };
    if (requireModel) ok = false;
  }
  process.stdout.write(`${JSON.stringify({ self_test: ok ? 'passed' : 'failed', ...report }, null, 2)}\n`);
  return ok ? 0 : 1;
}
