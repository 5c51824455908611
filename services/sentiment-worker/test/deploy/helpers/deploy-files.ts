import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The repository root, found from the compiled test file (dist/...) or the source alike. */
export const repoRoot: string = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package-lock.json')) && existsSync(path.join(dir, 'docker-compose.yml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
})();

export function repoPath(...parts: string[]): string {
  return path.join(repoRoot, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> } | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  command?: string | string[];
  entrypoint?: string | string[];
  stop_grace_period?: string;
  container_name?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readCompose(): ComposeFile {
  return parseYaml(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/**
 * deploy/compose/podman-test.override.yml, the compose test's override for podman-compose. Its
 * `!override` / `!reset` tags are podman-compose's; here they parse as the plain value under them.
 */
export function readPodmanComposeOverride(): ComposeFile {
  return parseYaml(readRepoFile('deploy/compose/podman-test.override.yml'), { logLevel: 'error' }) as ComposeFile;
}

/** The host port a service publishes for `containerPort` (`[ip:]host:container`), if any. */
export function publishedPort(service: ComposeService, containerPort: number): number | undefined {
  for (const p of service.ports ?? []) {
    const parts = String(typeof p === 'object' ? `${p.published ?? ''}:${p.target}` : p).split(':');
    if (Number(parts.at(-1)) === containerPort && parts.length >= 2) return Number(parts.at(-2));
  }
  return undefined;
}

/** A service's environment as a plain map, whichever of the two Compose syntaxes it uses. */
export function serviceEnv(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => {
      const i = e.indexOf('=');
      return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Host paths of bind mounts (`./x:/y[:ro]` or long syntax), relative to the repository root. */
export function bindMountSources(service: ComposeService): string[] {
  return (service.volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const source = v.split(':')[0] as string;
      return source.startsWith('.') || source.startsWith('/') ? [source] : [];
    }
    return v.type === 'bind' && v.source ? [v.source] : [];
  });
}

/** '1m30s', '35s', '500ms' -> milliseconds (Compose duration syntax). */
export function composeDurationMs(value: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|us|h|m|s)/g;
  let matched = '';
  for (let m = re.exec(value); m; m = re.exec(value)) {
    matched += m[0];
    const n = Number(m[1]);
    total += n * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 } as Record<string, number>)[m[2] as string]!;
  }
  if (matched !== value) throw new Error(`not a Compose duration: ${value}`);
  return total;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

export interface DockerInstruction {
  /** Upper-case keyword, e.g. COPY. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  rest: string;
  /** Index of the build stage (FROM) it belongs to; -1 before the first FROM. */
  stage: number;
  line: number;
}

/** Logical instructions: continuation lines joined, comment lines (also inside a continuation) dropped. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines = text.split('\n');
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const start = i + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = line.slice(0, -1);
      const next = (lines[++i] as string).trim();
      if (next.startsWith('#')) {
        line += ' \\';
        continue;
      }
      line += ` ${next}`;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const keyword = (m[1] as string).toUpperCase();
    if (keyword === 'FROM') stage++;
    out.push({ keyword, rest: (m[2] as string).trim(), stage, line: start });
  }
  return out;
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  dest: string;
  stage: number;
}

export function copyInstructions(instructions: DockerInstruction[]): CopyInstruction[] {
  return instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      let rest = i.rest;
      let from: string | undefined;
      for (let m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest)) {
        if (m[1] === 'from') from = m[2];
        rest = rest.slice(m[0].length);
      }
      const args = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
      return { from, sources: args.slice(0, -1), dest: args[args.length - 1] as string, stage: i.stage };
    });
}

/** Exec-form (JSON array) arguments of CMD/ENTRYPOINT/HEALTHCHECK CMD. */
export function execForm(rest: string): string[] {
  const start = rest.indexOf('[');
  if (start < 0) throw new Error(`not in exec form: ${rest}`);
  return JSON.parse(rest.slice(start)) as string[];
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

/** A matcher for .dockerignore patterns (`*`, `?`, `**`, leading `/`; `!` re-includes). */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i] as string;
        if (c === '*' && pattern[i + 1] === '*') {
          re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += pattern[i + 2] === '/' ? 2 : 1;
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}$`) };
    });
  return (relativePath: string) => {
    const parts = relativePath.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    let excluded = false;
    // A path is excluded when it or one of its parent directories matches (last rule wins).
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      for (const rule of rules) if (rule.re.test(prefix)) excluded = !rule.negate;
    }
    return excluded;
  };
}
