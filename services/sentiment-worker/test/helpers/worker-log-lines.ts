import type { WorkerProcess } from './worker-process';

/** The worker's JSON log lines so far, parsed; other output (warnings, stack traces) is skipped. */
export function workerLogLines<T>(worker: WorkerProcess): T[] {
  return worker
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as T];
      } catch {
        return [];
      }
    });
}
