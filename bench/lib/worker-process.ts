import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './bench-broker';

export interface WorkerProcess {
  child: ChildProcess;
  url: string;
  /** Resident set size of the worker process in MB, from /proc. */
  rssMb(): number;
  stop(): Promise<number | null>;
}

/** Starts `npm start`'s entry point as a child process, the way it runs in production. */
export async function startWorkerProcess(env: Record<string, string>, port: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'services', 'sentiment-worker', 'src', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('worker did not answer /health within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return Math.round(kb / 1024);
      } catch {
        return 0;
      }
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
    },
  };
}
