import { readdirSync, readFileSync } from 'node:fs';

/** CPU time a process's threads have used, in ms, grouped by the names Node gives them. */
export interface ThreadCpu {
  /** The event loop: node-MainThread. */
  main: number;
  /** worker_threads (the batch pool, the inference pool): WorkerThread. */
  workers: number;
  /** V8's helpers (concurrent GC marking, compilation): node-V8Worker. */
  v8: number;
  /** Everything else (libuv's pool, signal and delayed-task threads). */
  other: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Reads utime + stime of every thread of `pid` from /proc: CPU actually used, however many other
 * processes share the cores (a CPU profile's samples also count time the thread waited for a core).
 * All zeros where /proc is unreadable. Resolution 10 ms per thread.
 */
export function readThreadCpu(pid: number | undefined): ThreadCpu {
  const out: ThreadCpu = { main: 0, workers: 0, v8: 0, other: 0 };
  if (pid === undefined) return out;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      if (name === 'node-MainThread') out.main += ms;
      else if (name === 'WorkerThread') out.workers += ms;
      else if (name === 'node-V8Worker') out.v8 += ms;
      else out.other += ms;
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** `after - before`, thread group by thread group (threads that ended meanwhile are lost: read before they end). */
export function cpuSince(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  return { main: after.main - before.main, workers: after.workers - before.workers, v8: after.v8 - before.v8, other: after.other - before.other };
}
