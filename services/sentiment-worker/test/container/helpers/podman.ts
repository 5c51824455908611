import { spawn } from 'node:child_process';
import { repoPath } from '../../deploy/helpers/deploy-files';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The podman settings the container tests need on these machines (runc, ulimits: see the file).
 * scripts/container/common.sh exports the same path; a test started by hand gets it too.
 */
export const containersConf = process.env['CONTAINERS_CONF'] ?? repoPath('scripts/container/containers.conf');

/** Runs a command to completion; never throws for a non-zero exit (the caller asserts on `code`). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...process.env, CONTAINERS_CONF: containersConf, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command} (install it: bash scripts/container/install-tools.sh): ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export function podman(args: readonly string[], timeoutMs?: number): Promise<CommandResult> {
  return runCommand('podman', args, timeoutMs === undefined ? {} : { timeoutMs });
}

/** Like podman(), but a non-zero exit is an error naming the command and its stderr. */
export async function podmanOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, timeoutMs);
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} exited with ${result.code}:\n${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * A value the test script passes in (image names from scripts/container/common.sh, the podman-compose
 * it installed): the container tests run from `npm run test:container`, which builds the images first.
 */
export function fromContainerTestScript(variable: string): string {
  const value = process.env[variable];
  if (!value) {
    throw new Error(`${variable} is not set: the container tests run from \`npm run test:container\` (scripts/container/container-test.sh), which builds the images`);
  }
  return value;
}

export interface ContainerSpec {
  name: string;
  image: string;
  env?: Record<string, string>;
  /** podman run flags, e.g. --read-only. */
  flags?: string[];
  command?: string[];
}

/** `podman run -d` on the host network (the harness broker listens on the host's 127.0.0.1). */
export async function startContainer(spec: ContainerSpec): Promise<string> {
  const env = Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  await podmanOk(['run', '-d', '--name', spec.name, '--network', 'host', ...env, ...(spec.flags ?? []), spec.image, ...(spec.command ?? [])]);
  return spec.name;
}

export async function removeContainer(name: string): Promise<void> {
  await podman(['rm', '--force', '--time', '0', name]);
}

/** A value of `podman inspect` (Go template), trimmed. */
export async function inspect(name: string, format: string): Promise<string> {
  return (await podmanOk(['inspect', '--format', format, name])).trim();
}

export async function containerLogs(name: string, tail = 40): Promise<string> {
  const result = await podman(['logs', '--tail', String(tail), name]);
  return `${result.stdout}${result.stderr}`;
}
