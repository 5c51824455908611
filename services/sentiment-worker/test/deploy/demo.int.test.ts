import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from './helpers/deploy-files';

const demoJs = path.join(repoRoot, 'dist', 'scripts', 'demo.js');

interface DemoRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
}

function runDemo(args: string[]): DemoRun {
  const child = spawn(process.execPath, [demoJs, ...args], {
    cwd: repoRoot,
    // A clean environment: the demo's defaults, VADER unless a model is present (SCORER=vader pins it).
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], SCORER: 'vader', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(out);
      if (m) return m;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${String(pattern)} in the demo output:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, output: () => out, exited, waitFor };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The broker and worker pids the demo printed. */
function childPids(output: string): { broker: number; worker: number } {
  const broker = Number(/Kafka broker pid (\d+) ready/.exec(output)?.[1]);
  const worker = Number(/worker pid (\d+), API/.exec(output)?.[1]);
  return { broker, worker };
}

async function expectGone(pids: number[]): Promise<void> {
  // The orphan watchdogs poll every second; the demo itself waits for both exits, so this is at once.
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(pids.filter(alive)).toEqual([]);
}

describe('npm run demo', () => {
  it('when run with --events 200, then it reports every input accounted for, exits 0 and leaves no broker or worker behind', async () => {
    const demo = runDemo(['--events', '200', '--kafka-port', 'auto']);
    try {
      const done = await demo.waitFor(/demo: done (\w+) processed=(\d+) expected=(\d+)/, 240_000);
      expect(done[1]).toBe('ok');
      // 200 valid events + every malformed sample line.
      expect(Number(done[3])).toBe(220);
      expect(Number(done[2])).toBeGreaterThanOrEqual(220);
      const { code } = await demo.exited;
      const out = demo.output();
      expect({ code, out }).toEqual({ code: 0, out });
      expect(out).toMatch(/accounted for: +22\d \(20\d results, 20 dead letters\)/);
      expect(out).toMatch(/results by scorer: +vader 20\d/);
      expect(out).toMatch(/dead letters by reason: .*INVALID_JSON/);
      expect(out).toMatch(/end-to-end latency: p50 (> )?\d/);
      expect(out).toMatch(/\/health: +HTTP 200/);
      expect(out).toMatch(/worker pid \d+ stopped \(exit 0\)/);
      const { broker, worker } = childPids(out);
      expect(broker).toBeGreaterThan(0);
      expect(worker).toBeGreaterThan(0);
      await expectGone([broker, worker, demo.child.pid as number]);
    } finally {
      demo.child.kill('SIGKILL');
    }
  }, 300_000);

  it('when running with --follow and Ctrl-C arrives after the report, then it stops the worker then the broker and exits 0', async () => {
    const demo = runDemo(['--events', '50', '--kafka-port', 'auto', '--follow']);
    try {
      await demo.waitFor(/--follow: still watching/, 240_000);
      const { broker, worker } = childPids(demo.output());
      expect([alive(broker), alive(worker)]).toEqual([true, true]);
      demo.child.kill('SIGINT');
      const { code } = await demo.exited;
      const out = demo.output();
      expect({ code, out }).toEqual({ code: 0, out });
      // Worker first (it commits and leaves the group), then the broker.
      const workerStopped = out.indexOf(`worker pid ${worker} stopped (exit 0)`);
      const brokerStopped = out.indexOf(`Kafka broker pid ${broker} stopped`);
      expect(workerStopped).toBeGreaterThan(0);
      expect(brokerStopped).toBeGreaterThan(workerStopped);
      await expectGone([broker, worker]);
    } finally {
      demo.child.kill('SIGKILL');
    }
  }, 300_000);
});
