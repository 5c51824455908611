import { spawnWorkerProcess, type WorkerProcess } from '@sentiment/testing';

/**
 * `npm start`'s entry point as a child process, with the benchmark defaults: this process's
 * environment plus `env`, warn-level logs straight to the terminal, started once /health is 2xx.
 */
export function startWorkerProcess(env: Record<string, string>, port: number): Promise<WorkerProcess> {
  return spawnWorkerProcess({ env: { ...process.env, LOG_LEVEL: 'warn', ...env }, port, output: 'inherit', readyWhen: 'healthy', startTimeoutMs: 60_000 });
}
