import { spawn } from 'node:child_process';
import path from 'node:path';

/** Runs `npm run dlq:replay` (the compiled script) as the operator would; resolves with its exit code and output. */
export function runDlqReplay(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = path.resolve(__dirname, '..', '..', '..', '..', 'scripts', 'dlq-replay.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The summary row of one reason: replayed count and the skipped text. */
export function summaryRow(stdout: string, reason: string): { replayed: number; skipped: string } | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${reason} `));
  const match = line ? /^\S+\s+(\d+)\s+(.*)$/.exec(line) : null;
  return match ? { replayed: Number(match[1]), skipped: (match[2] ?? '').trim() } : undefined;
}
