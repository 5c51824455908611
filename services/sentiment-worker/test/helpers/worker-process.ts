import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePorts } from '@sentiment/testing';

const mainJs = join(__dirname, '..', '..', 'src', 'main.js');

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote (JSON log lines), for assertions and failure messages. */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: no goodbye, no commit. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * The worker as its own process (`node dist/services/sentiment-worker/src/main.js`), for tests
 * that kill it, scale it or need real signals. `env` overrides the test defaults.
 */
export async function spawnWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [mainJs], {
    env: { PATH: process.env['PATH'], LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    const up = await fetch(`${url}/health`).then((r) => r.status > 0, () => false);
    if (up) break;
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not answer /health within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port: port as number,
    url,
    output: () => out,
    exited,
    async stop(timeoutMs = 30000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
