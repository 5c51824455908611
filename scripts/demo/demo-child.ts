import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface DemoChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs: number): Promise<number | null>;
  logTail(lines?: number): string;
}

const live = new Set<ChildProcess>();
let exitHook = false;

/**
 * A child process (node script) whose output goes to a log file and which never outlives the
 * demo: an exit hook kills what is still running, and a tiny `sh` watchdog sends SIGTERM if
 * the demo itself is SIGKILLed (no hook runs then).
 */
export function spawnDemoChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): DemoChild {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // Own process group: a Ctrl-C in the terminal reaches only the demo, which then stops the
    // children in order (a worker that got SIGINT and then the demo's SIGTERM would take the
    // second signal as "exit now").
    child = spawn(command, args, { env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`cannot start ${name}: ${command} ${args.join(' ')}`);
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  live.add(child);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  const watchdog = spawn(
    'sh',
    ['-c', 'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done; kill -TERM "$2" 2>/dev/null', 'demo-watchdog', String(process.pid), String(pid)],
    { stdio: 'ignore' },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();

  return {
    name,
    child,
    pid,
    logFile,
    exited,
    async stop(graceMs: number) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

/** Runs a node script to completion; rejects with its output when it fails. */
export async function runDemoChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const c = spawnDemoChild(name, command, args, env, logFile);
  const code = await c.exited;
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${c.logTail()}`);
}
