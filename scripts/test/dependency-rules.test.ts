import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../lib/repo-files';

/*
 * The layer rules of `npm run lint` (.dependency-cruiser.cjs), run by the real dependency-cruiser
 * on small trees laid out like the repository: a tree that keeps the rules passes, and every
 * deliberately wrong import in a second tree is reported under its rule, and nothing else is.
 */

type Tree = Record<string, string>;

const tsconfig = JSON.stringify({
  compilerOptions: { module: 'commonjs', moduleResolution: 'node10', baseUrl: '.', paths: { '@sentiment/*': ['libs/*/src/index.ts'] } },
});

/** A miniature of the repository that keeps every rule. */
const goodTree: Tree = {
  'tsconfig.json': tsconfig,
  'node_modules/kafkajs/package.json': JSON.stringify({ name: 'kafkajs', main: 'index.js' }),
  'node_modules/kafkajs/index.js': 'module.exports = {};',
  'libs/errors/src/index.ts': 'export const code = "X";',
  'libs/events/src/index.ts': "import { code } from '@sentiment/errors';\nexport const score = code;",
  'libs/scoring/src/index.ts': "import { score } from '@sentiment/events';\nexport const scorer = score;",
  'libs/kafka/src/index.ts': "import type {} from 'kafkajs';\nimport { code } from '@sentiment/errors';\nexport const consumer = code;",
  'libs/http/src/index.ts': "import { score } from '@sentiment/events';\nexport const app = score;",
  'libs/testing/src/index.ts': "import type {} from 'kafkajs';\nimport { app } from '@sentiment/http';\nexport const broker = app;",
  'libs/onnx-builder/src/index.ts': "import { scorer } from '@sentiment/scoring';\nexport const model = scorer;",
  'libs/scoring/test/scorer.test.ts': "import { model } from '@sentiment/onnx-builder';\nimport { scorer } from '../src';\nexport const t = [model, scorer];",
  'services/worker/src/main.ts':
    "import { app } from '@sentiment/http';\nimport { consumer } from '@sentiment/kafka';\nimport { scorer } from '@sentiment/scoring';\nexport const main = [app, consumer, scorer];",
  'services/worker/test/main.test.ts': "import type {} from 'kafkajs';\nimport { broker } from '@sentiment/testing';\nimport { main } from '../src/main';\nexport const t = [broker, main];",
  'scripts/dev.ts': "import { broker } from '@sentiment/testing';\nimport { main } from '../services/worker/src/main';\nexport const dev = [broker, main];",
  'bench/load.ts': "import type {} from 'kafkajs';\nimport { main } from '../services/worker/src/main';\nexport const bench = main;",
};

/** One wrong import per file, and the rule each must break (a cycle is reported once, at its first edge). */
const wrongImports: Array<{ file: string; source: string; rule?: string; to?: string }> = [
  { file: 'libs/http/src/uses-scoring.ts', source: "import { scorer } from '@sentiment/scoring';\nexport const x = scorer;", rule: 'http-not-to-scoring', to: 'libs/scoring/src/index.ts' },
  { file: 'libs/scoring/src/uses-kafka.ts', source: "import { consumer } from '@sentiment/kafka';\nexport const x = consumer;", rule: 'scoring-and-kafka-apart', to: 'libs/kafka/src/index.ts' },
  { file: 'libs/kafka/src/uses-scoring.ts', source: "import { scorer } from '@sentiment/scoring';\nexport const x = scorer;", rule: 'scoring-and-kafka-apart', to: 'libs/scoring/src/index.ts' },
  { file: 'libs/events/src/uses-service.ts', source: "import { main } from '../../../services/worker/src/main';\nexport const x = main;", rule: 'libs-not-to-services', to: 'services/worker/src/main.ts' },
  { file: 'libs/testing/test/uses-service.ts', source: "import { main } from '../../../services/worker/src/main';\nexport const x = main;", rule: 'libs-not-to-services', to: 'services/worker/src/main.ts' },
  { file: 'services/worker/src/uses-testing.ts', source: "import { broker } from '@sentiment/testing';\nexport const x = broker;", rule: 'runtime-not-to-dev-libs', to: 'libs/testing/src/index.ts' },
  { file: 'libs/scoring/src/uses-onnx-builder.ts', source: "import { model } from '@sentiment/onnx-builder';\nexport const x = model;", rule: 'runtime-not-to-dev-libs', to: 'libs/onnx-builder/src/index.ts' },
  { file: 'services/worker/src/uses-kafkajs.ts', source: "import type { Kafka } from 'kafkajs';\nexport type X = Kafka;", rule: 'kafka-clients-only-in-libs-kafka', to: 'node_modules/kafkajs/index.js' },
  { file: 'libs/events/src/uses-kafkajs.ts', source: "import type {} from 'kafkajs';", rule: 'kafka-clients-only-in-libs-kafka', to: 'node_modules/kafkajs/index.js' },
  { file: 'services/worker/src/uses-script.ts', source: "import { dev } from '../../../scripts/dev';\nexport const x = dev;", rule: 'services-only-to-libs', to: 'scripts/dev.ts' },
  { file: 'services/worker/src/uses-test.ts', source: "import { t } from '../test/main.test';\nexport const x = t;", rule: 'runtime-not-to-tests', to: 'services/worker/test/main.test.ts' },
  { file: 'libs/http/src/deep-import.ts', source: "import { code } from '../../errors/src/index';\nimport { score } from '../../events/src/score';\nexport const x = [code, score];", rule: 'libs-by-package-name', to: 'libs/events/src/score.ts' },
  { file: 'libs/events/src/cycle-a.ts', source: "import { b } from './cycle-b';\nexport const a = () => b;", rule: 'no-circular', to: 'libs/events/src/cycle-b.ts' },
  { file: 'libs/events/src/cycle-b.ts', source: "import { a } from './cycle-a';\nexport const b = () => a;" },
];

interface Violation {
  rule: string;
  from: string;
  to: string;
}

const dirs: string[] = [];

function writeTree(tree: Tree): string {
  const dir = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** depcruise with the repository's rules over `dir`, as `npm run lint` runs it (plus `extra` arguments). */
function depcruise(dir: string, extra: string[] = []) {
  const bin = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
  const config = join(repoRoot, '.dependency-cruiser.cjs');
  return spawnSync(process.execPath, [bin, 'libs', 'services', 'scripts', 'bench', '--config', config, ...extra], { cwd: dir, encoding: 'utf8' });
}

/** The violations depcruise finds in `dir`. */
function cruise(dir: string): Violation[] {
  const run = depcruise(dir, ['--output-type', 'json']);
  if (!run.stdout) throw new Error(`depcruise printed nothing (status ${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const byText = (a: Violation, b: Violation) => JSON.stringify(a).localeCompare(JSON.stringify(b));

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the dependency rules of npm run lint', () => {
  it('when a tree keeps the layers (tests, scripts, bench and libs/testing using kafkajs and the dev libraries), then nothing is reported and lint passes', () => {
    const dir = writeTree(goodTree);
    expect(cruise(dir)).toEqual([]);
    expect(depcruise(dir).status).toBe(0);
  });

  it('when each kind of wrong import is added, then each is reported under its rule, nothing else is, and lint fails', () => {
    const tree: Tree = { ...goodTree, 'libs/events/src/score.ts': 'export const s = 1;' };
    for (const w of wrongImports) tree[w.file] = w.source;
    const dir = writeTree(tree);
    const expected = wrongImports.flatMap((w): Violation[] => (w.rule && w.to ? [{ rule: w.rule, from: w.file, to: w.to }] : []));
    expect(cruise(dir).sort(byText)).toEqual(expected.sort(byText));
    const lint = depcruise(dir);
    // What a developer sees from `npm run lint`.
    console.log(lint.stdout);
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain('error http-not-to-scoring: libs/http/src/uses-scoring.ts → libs/scoring/src/index.ts');
  });

  it('when runtime code imports @sentiment/onnx-builder before that library exists, then the dev-library rule already fails it', () => {
    const { ['libs/onnx-builder/src/index.ts']: _lib, ['libs/scoring/test/scorer.test.ts']: _test, ...tree } = goodTree;
    tree['libs/http/src/uses-onnx-builder.ts'] = "import { model } from '@sentiment/onnx-builder';\nexport const x = model;";
    const rules = cruise(writeTree(tree)).filter((v) => v.from === 'libs/http/src/uses-onnx-builder.ts').map((v) => v.rule);
    expect(rules.sort()).toEqual(['not-to-unresolvable', 'runtime-not-to-dev-libs']);
  });

  it('when an import does not resolve (@platformatic/kafka not installed), then the Kafka-client rule still applies', () => {
    const tree: Tree = { ...goodTree, 'libs/scoring/src/uses-platformatic.ts': "import type {} from '@platformatic/kafka';" };
    const rules = cruise(writeTree(tree)).map((v) => v.rule);
    expect(rules.sort()).toEqual(['kafka-clients-only-in-libs-kafka', 'not-to-unresolvable']);
  });
});
