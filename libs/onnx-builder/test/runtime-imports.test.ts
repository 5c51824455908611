import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

// dist/libs/onnx-builder/test -> the repository root.
const root = path.resolve(__dirname, '..', '..', '..', '..');

/** Libraries whose src/ may use the builder: itself and the test helpers. */
const DEV_LIBS = new Set(['onnx-builder', 'testing']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function runtimeSourceDirs(): string[] {
  const libs = readdirSync(path.join(root, 'libs'))
    .filter((l) => !DEV_LIBS.has(l))
    .map((l) => path.join(root, 'libs', l, 'src'));
  const services = readdirSync(path.join(root, 'services')).map((s) => path.join(root, 'services', s, 'src'));
  return [...libs, ...services].filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory() === true);
}

/** Import specifiers that reach the builder, by package name or by a relative path into its folder. */
function builderImports(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
  return specifiers.filter((s) => s === '@sentiment/onnx-builder' || s.startsWith('@sentiment/onnx-builder/') || /(^|\/)onnx-builder(\/|$)/.test(s));
}

describe('the ONNX builder stays out of runtime code', () => {
  it('when a runtime source file is scanned, then none imports @sentiment/onnx-builder', () => {
    const dirs = runtimeSourceDirs();
    expect(dirs.some((d) => d.endsWith(path.join('libs', 'scoring', 'src')))).toBe(true);
    const offenders = dirs.flatMap(tsFiles).flatMap((file) => builderImports(readFileSync(file, 'utf8')).map((s) => `${path.relative(root, file)}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('when a file imports the builder by package, sub-path or relative path, then the scan finds it', () => {
    expect(builderImports("import { writeTinyModelDir } from '@sentiment/onnx-builder';")).toEqual(['@sentiment/onnx-builder']);
    expect(builderImports("const b = require('../../onnx-builder/src/roberta-graph');")).toEqual(['../../onnx-builder/src/roberta-graph']);
    expect(builderImports("await import('@sentiment/onnx-builder/dist/x')")).toEqual(['@sentiment/onnx-builder/dist/x']);
    expect(builderImports("import { loadRobertaTokenizer } from '@sentiment/scoring';")).toEqual([]);
  });
});
