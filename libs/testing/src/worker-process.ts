import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { repoRoot } from './repo-paths';

export interface WorkerProcessOptions {
  /** The child's whole environment: nothing is inherited unless the caller spreads process.env into it. */
  env: NodeJS.ProcessEnv;
  /** HTTP port (PORT); default: a free one. HOST defaults to 127.0.0.1. */
  port?: number;
  /** `capture` keeps what the process writes (see `output()`); `inherit` streams it to this terminal. Default capture. */
  output?: 'capture' | 'inherit';
  /** Started once `/health` answers at all (`answers`, default) or answers 2xx (`healthy`). */
  readyWhen?: 'answers' | 'healthy';
  /** Give up (and SIGKILL the child) when it is not started within this. Default 30,000 ms. */
  startTimeoutMs?: number;
}

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote (JSON log lines) when output is captured; empty when inherited. */
  output(): string;
  /** Resident set size of the process in MB (from /proc; 0 when unreadable). */
  rssMb(): number;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 30,000); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: no goodbye, no commit. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** The production entry point, as `npm start` runs it. */
export function workerMainJs(): string {
  return path.join(repoRoot(), 'dist', 'services', 'sentiment-worker', 'src', 'main.js');
}

/**
 * The worker as its own process (`node dist/services/sentiment-worker/src/main.js`), the way it
 * runs in production: for tests that kill it, scale it or need real signals, and for benchmarks.
 */
export async function spawnWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const port = options.port ?? (await freePort());
  const capture = (options.output ?? 'capture') === 'capture';
  const child = spawn(process.execPath, [workerMainJs()], {
    env: { HOST: '127.0.0.1', ...options.env, PORT: String(port) },
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const healthy = options.readyWhen === 'healthy';
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(`${url}/health`).then((r) => (healthy ? r.ok : r.status > 0), () => false);
    if (up) break;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited with ${child.exitCode ?? child.signalCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not answer /health${healthy ? ' with 2xx' : ''} within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port,
    url,
    output: () => out,
    exited,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch {
        return 0;
      }
    },
    async stop(stopTimeoutMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
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
