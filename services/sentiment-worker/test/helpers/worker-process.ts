import { spawnWorkerProcess, type WorkerProcess } from '@sentiment/testing';

export type { WorkerProcess } from '@sentiment/testing';

/**
 * The worker as its own process with the test defaults: a clean environment (only PATH, so
 * the developer's own variables cannot leak in), info logs captured for assertions, a free
 * port. `env` overrides the defaults.
 */
export function spawnWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return spawnWorkerProcess({ env: { PATH: process.env['PATH'], LOG_LEVEL: 'info', ...env } });
}
