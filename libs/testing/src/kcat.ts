import { spawn } from 'node:child_process';

export interface KcatResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs kcat (librdkafka's command-line client, from Debian: scripts/install-system-deps.sh),
 * feeding `stdin` and rejecting on a non-zero exit or after `timeoutMs`.
 */
export function runKcat(args: readonly string[], stdin: Buffer | string = '', timeoutMs = 60_000): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-16_000);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run kcat (install it: scripts/install-system-deps.sh): ${e.message}`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`kcat ${args.join(' ')} exited with ${code ?? signal}:\n${err.trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
