import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { freePorts } from '@sentiment/testing';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const node = process.execPath;

/** Counts messages of a topic with kcat, a Kafka client that is not ours. */
function kcatCount(bootstrap: string, topic: string): number {
  const out = spawnSync('kcat', ['-b', bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '%o\\n'], { encoding: 'utf8', timeout: 60000 });
  if (out.status !== 0) throw new Error(`kcat failed: ${out.stderr}`);
  return out.stdout.split('\n').filter((l) => l.length > 0).length;
}

describe('npm run dev, as a user runs it', () => {
  it('when 1,000 valid and 20 malformed samples are produced, then kcat counts 1,000 results and 20 dead letters', async () => {
    const [kafkaPort, controllerPort, httpPort] = await freePorts(3);
    const dataDir = await mkdtemp(join(tmpdir(), 'dev-kafka-'));
    const dev = spawn(node, [join(repoRoot, 'dist', 'scripts', 'dev.js')], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(controllerPort), PORT: String(httpPort), KAFKA_DATA_DIR: dataDir, SCORER: 'vader', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    dev.stdout.on('data', (d: Buffer) => (output += d.toString()));
    dev.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => dev.once('exit', resolve));
    const bootstrap = `127.0.0.1:${kafkaPort}`;
    try {
      const deadline = Date.now() + 180000;
      while (!(await fetch(`http://127.0.0.1:${httpPort}/ready`).then((r) => r.status === 200, () => false))) {
        if (dev.exitCode !== null || Date.now() > deadline) throw new Error(`npm run dev did not become ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const produce = (file: string, extra: string[] = []) =>
        spawnSync(node, [join(repoRoot, 'dist', 'scripts', 'produce.js'), join(repoRoot, 'samples', file), '--brokers', bootstrap, ...extra], { encoding: 'utf8' });
      expect(produce('calls.jsonl', ['--count', '1000']).status).toBe(0);
      expect(produce('malformed.jsonl').status).toBe(0);

      let results = 0;
      let deadLetters = 0;
      for (let i = 0; i < 120 && results + deadLetters < 1020; i++) {
        await new Promise((r) => setTimeout(r, 500));
        results = kcatCount(bootstrap, 'calls.sentiment');
        deadLetters = kcatCount(bootstrap, 'calls.transcribed.dlq');
      }
      expect({ results, deadLetters }).toEqual({ results: 1000, deadLetters: 20 });
    } finally {
      dev.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60000).unref())]);
      if (code === 'timeout') dev.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
  });
});
