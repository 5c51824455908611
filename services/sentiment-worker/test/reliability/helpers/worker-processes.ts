import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process';

/**
 * Spawned workers of one test file, so afterAll can SIGKILL whatever is still running even when
 * a test failed half-way (a stray worker would keep consuming and hold the jest run open).
 */
export class WorkerProcesses {
  private readonly all: WorkerProcess[] = [];

  async spawn(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
    const worker = await spawnWorker(env);
    this.all.push(worker);
    return worker;
  }

  /** The combined output of every worker, for failure messages. */
  output(lastChars = 6000): string {
    return this.all.map((w, i) => `--- worker ${i} (pid ${w.child.pid}) ---\n${w.output().slice(-lastChars)}`).join('\n');
  }

  async killAll(): Promise<void> {
    await Promise.all(this.all.map((w) => w.kill().catch(() => undefined)));
  }
}
