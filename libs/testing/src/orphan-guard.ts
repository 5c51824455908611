import { type ChildProcess, spawn } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Makes sure a long-lived child (the broker JVM) never outlives this Node process:
 * - on a normal exit, an 'exit' hook SIGKILLs every child still registered;
 * - if Node itself is SIGKILLed (a jest worker being torn down, a CI timeout), no hook runs,
 *   so a tiny `sh` watchdog polls both pids every second and kills the child once Node is gone.
 */
export function guardChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of live) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  const script =
    'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done; kill -9 "$2" 2>/dev/null';
  try {
    const watchdog = spawn('sh', ['-c', script, 'kafka-harness-watchdog', String(process.pid), String(child.pid)], {
      stdio: 'ignore',
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
  } catch {
    // No sh: the exit hook still covers normal exits.
  }
}
