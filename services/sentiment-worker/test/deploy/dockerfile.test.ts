import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { envSchema } from '../../src/config';
import {
  copyInstructions,
  dockerignoreMatcher,
  execForm,
  parseDockerfile,
  readCompose,
  readRepoFile,
  repoPath,
  serviceEnv,
} from './helpers/deploy-files';

const instructions = parseDockerfile(readRepoFile('Dockerfile'));
const ignored = dockerignoreMatcher(readRepoFile('.dockerignore'));
const froms = instructions.filter((i) => i.keyword === 'FROM');
const stageNames = froms.map((f) => /\bAS\s+(\S+)/i.exec(f.rest)?.[1]);
const runtimeStage = froms.length - 1;
const inStage = (stage: number, keyword: string) => instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const defaultPort = String(envSchema.shape.PORT.parse(undefined));

describe('Dockerfile', () => {
  it('when built, then it has build, model and runtime stages and the runtime starts from the same base as the build', () => {
    expect(stageNames).toEqual(['build', 'model', 'runtime']);
    const base = (i: number) => (froms[i]?.rest ?? '').split(/\s+/)[0];
    expect(base(runtimeStage)).toBe(base(0));
    const nodeImage = /ARG NODE_IMAGE=(\S+)/.exec(readRepoFile('Dockerfile'))?.[1] ?? '';
    // glibc (Debian): onnxruntime-node has no musl build. The release is the one CI tests (.node-version).
    expect(nodeImage).toBe(`node:${readRepoFile('.node-version').trim()}-bookworm-slim`);
  });

  it('when CI, the image and package.json name a Node release, then they name the same one', () => {
    const pinned = readRepoFile('.node-version').trim();
    const major = pinned.split('.')[0];
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${pinned} <${Number(major) + 1}`);
    expect(readRepoFile('.ci/run')).toContain('scripts/node/node-bin-dir.sh');
    expect(readRepoFile('README.md')).toContain(`Node ${major}`);
  });

  it('when a COPY names a file of the build context, then the file exists and .dockerignore does not drop it', () => {
    const fromContext = copyInstructions(instructions).filter((c) => c.from === undefined);
    expect(fromContext.length).toBeGreaterThan(5);
    for (const copy of fromContext) {
      for (const source of copy.sources) {
        expect({ source, exists: existsSync(repoPath(source)) }).toEqual({ source, exists: true });
        expect({ source, ignored: ignored(source) }).toEqual({ source, ignored: false });
      }
    }
  });

  it('when a COPY takes from another stage, then that stage exists', () => {
    for (const copy of copyInstructions(instructions).filter((c) => c.from !== undefined)) {
      expect(stageNames).toContain(copy.from);
    }
  });

  it('when npm ci runs in a stage, then every workspace manifest (and each lib entry.js) was copied before it', () => {
    const libs = readdirSync(repoPath('libs')).filter((d) => existsSync(repoPath('libs', d, 'package.json')));
    const services = readdirSync(repoPath('services')).filter((d) => existsSync(repoPath('services', d, 'package.json')));
    const needed = [
      'package.json',
      'package-lock.json',
      '.npmrc',
      ...libs.flatMap((l) => [`libs/${l}/package.json`, `libs/${l}/entry.js`]),
      ...services.map((s) => `services/${s}/package.json`),
    ];
    for (const stage of [0, runtimeStage]) {
      const npmCi = instructions.find((i) => i.stage === stage && i.keyword === 'RUN' && /\bnpm ci\b/.test(i.rest));
      expect(npmCi).toBeDefined();
      const copiedBefore = copyInstructions(instructions.filter((i) => i.stage === stage && i.line < (npmCi?.line ?? 0))).flatMap(
        (c) => c.sources,
      );
      expect(needed.filter((f) => !copiedBefore.includes(f))).toEqual([]);
    }
  });

  it('when a stage installs dependencies without install scripts, then it applies the Kafka client patches in the same step', () => {
    const patched = readdirSync(repoPath('patches')).filter((f) => f.endsWith('.patch'));
    expect(patched.length).toBeGreaterThanOrEqual(2);
    for (const stage of [0, runtimeStage]) {
      const npmCi = instructions.find((i) => i.stage === stage && i.keyword === 'RUN' && /\bnpm ci\b/.test(i.rest));
      expect(npmCi?.rest).toMatch(/patch-package --error-on-fail/);
      const copiedBefore = copyInstructions(instructions.filter((i) => i.stage === stage && i.line < (npmCi?.line ?? 0))).flatMap((c) => c.sources);
      expect(copiedBefore).toContain('patches');
    }
  });

  it('when the runtime installs dependencies, then it omits dev dependencies and runs no install script', () => {
    const npmCi = inStage(runtimeStage, 'RUN').find((i) => /\bnpm ci\b/.test(i.rest));
    expect(npmCi?.rest).toMatch(/--omit=dev/);
    expect(npmCi?.rest).toMatch(/--ignore-scripts/);
  });

  it('when the runtime image runs, then it has the data directories the scorers read, the samples, dist and the model', () => {
    const runtimeCopies = copyInstructions(instructions).filter((c) => c.stage === runtimeStage);
    const sources = runtimeCopies.flatMap((c) => c.sources.map((s) => `${c.from ?? ''}:${s}`));
    for (const needed of [':libs/scoring/data', ':libs/scoring/assets', ':samples', 'build:/app/dist', 'model:/models']) {
      expect(sources).toContain(needed);
    }
    expect(existsSync(repoPath('libs/scoring/data/vader/vader_lexicon.txt'))).toBe(true);
    expect(existsSync(repoPath('libs/scoring/assets/roberta-tokenizer/vocab.json'))).toBe(true);
  });

  it('when the image is built, then a RUN step self-tests the compiled worker (and requires the model when it was included)', () => {
    const selfTest = inStage(runtimeStage, 'RUN').find((i) => i.rest.includes('--self-test'));
    expect(selfTest?.rest).toContain('node dist/services/sentiment-worker/src/main.js --self-test --require-model');
    expect(existsSync(repoPath('services/sentiment-worker/src/self-test.ts'))).toBe(true);
    // It runs as the runtime user, after USER.
    const user = inStage(runtimeStage, 'USER')[0];
    expect(user && selfTest && user.line < selfTest.line).toBe(true);
  });

  it('when the container runs, then it is non-root, under tini, with NODE_ENV=production and the npm start command', () => {
    const user = inStage(runtimeStage, 'USER').map((u) => u.rest);
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(execForm(inStage(runtimeStage, 'ENTRYPOINT')[0]?.rest ?? '')).toEqual(['/usr/bin/tini', '--']);
    expect(inStage(runtimeStage, 'RUN').some((i) => /apt-get install .*\btini\b/.test(i.rest))).toBe(true);
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(execForm(inStage(runtimeStage, 'CMD')[0]?.rest ?? '').join(' ')).toBe(pkg.scripts['start']);
    expect(inStage(runtimeStage, 'ENV').map((e) => e.rest).join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('when MODEL_DIR is set in the image, then it is the directory the model stage fills and a variable the worker reads', () => {
    const envOf = (stage: number) => inStage(stage, 'ENV').map((e) => e.rest).join(' ');
    const modelStage = stageNames.indexOf('model');
    const runtimeDir = /MODEL_DIR=(\S+)/.exec(envOf(runtimeStage))?.[1];
    expect(runtimeDir).toBeDefined();
    expect(/MODEL_DIR=(\S+)/.exec(envOf(modelStage))?.[1]).toBe(runtimeDir);
    expect(runtimeDir?.startsWith('/models/')).toBe(true);
    for (const key of envOf(runtimeStage).match(/\b[A-Z_]+(?==)/g) ?? []) {
      if (key !== 'NODE_ENV') expect(Object.keys(envSchema.shape)).toContain(key);
    }
    const modelArgs = inStage(modelStage, 'ARG').map((a) => a.rest.split('=')[0]);
    expect(modelArgs).toEqual(expect.arrayContaining(['INCLUDE_MODEL', 'MODEL_REPO', 'MODEL_REVISION', 'MODEL_FILE', 'HF_ENDPOINT']));
  });

  it('when the model comes from a mirror (or the container test\'s fake hub), then HF_ENDPOINT is a build argument the download script reads, empty meaning the hub', () => {
    const modelStage = stageNames.indexOf('model');
    const arg = inStage(modelStage, 'ARG').find((a) => a.rest.split('=')[0] === 'HF_ENDPOINT');
    expect(arg?.rest).toBe('HF_ENDPOINT=');
    // An ARG is visible to the RUN steps after it, in its own stage only: it must precede the download.
    const download = inStage(modelStage, 'RUN').find((r) => r.rest.includes('npm run model:download'));
    expect(arg && download && arg.line < download.line).toBe(true);
  });

  it('when the model stage downloads, then it runs the repo\'s download script with a file name the worker accepts', () => {
    const modelStage = stageNames.indexOf('model');
    const run = inStage(modelStage, 'RUN').map((r) => r.rest).join(' ');
    expect(run).toContain('npm run model:download');
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['model:download']).toBe('node dist/scripts/model-download.js');
    expect(existsSync(repoPath('scripts/model-download.ts'))).toBe(true);
    const modelFile = inStage(modelStage, 'ARG').find((a) => a.rest.startsWith('MODEL_FILE='))?.rest.split('=')[1];
    expect(envSchema.shape.MODEL_FILE.safeParse(modelFile).success).toBe(true);
  });

  it('when the port is configured, then EXPOSE, ENV PORT, the HEALTHCHECK, the PORT default and the compose worker agree', () => {
    const expose = inStage(runtimeStage, 'EXPOSE').map((e) => e.rest);
    expect(expose).toEqual([defaultPort]);
    expect(/\bPORT=(\d+)/.exec(inStage(runtimeStage, 'ENV').map((e) => e.rest).join(' '))?.[1]).toBe(defaultPort);
    const health = inStage(runtimeStage, 'HEALTHCHECK')[0]?.rest ?? '';
    const probe = execForm(health).join(' ');
    expect(probe).toContain('/health');
    expect(/\|\|\s*(\d+)\)/.exec(probe)?.[1]).toBe(defaultPort);
    expect(serviceEnv(readCompose().services['worker'] ?? {})['PORT']).toBe(defaultPort);
  });

  it('when the health probe runs, then it uses node (no curl or wget in the slim image)', () => {
    const health = inStage(runtimeStage, 'HEALTHCHECK')[0]?.rest ?? '';
    expect(health).toMatch(/\bCMD \[/);
    expect(execForm(health)[0]).toBe('node');
    expect(health).not.toMatch(/curl|wget/);
  });
});

describe('.dockerignore', () => {
  it('when the context is sent, then local builds, dependencies, caches, models and tests stay out', () => {
    for (const p of ['node_modules', 'dist', '.cache', '.git', 'models', 'coverage', 'libs/scoring/test/fixtures', 'bench']) {
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: true });
    }
    for (const p of ['package.json', 'libs/scoring/src/index.ts', 'libs/scoring/data/vader', 'samples/calls.jsonl', 'scripts/produce.ts']) {
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: false });
    }
  });
});
