import { spawn } from 'node:child_process';
import path from 'node:path';
import { KafkaHarnessError } from './harness-error';
import { ensurePythonVenv } from './python-venv';
import { repoRoot } from './repo-paths';

/**
 * A Python virtualenv with confluent-kafka's serializers (scripts/dev/registry-producer.requirements.txt),
 * made on first use (~10 s, from PyPI). Resolves to its python executable.
 */
export function ensureRegistryProducer(): Promise<string> {
  return ensurePythonVenv('registry-producer', 'scripts/dev/registry-producer.requirements.txt');
}

export interface RegistryProducerOptions {
  bootstrap: string;
  registryUrl: string;
  topic: string;
  format: 'avro' | 'json';
  caFile?: string;
  /** Subjects `<topic>-<record name>` (TopicRecordNameStrategy) instead of `<topic>-value`: several event schemas on one topic. */
  recordSubjects?: boolean;
}

/** Where each event landed, as the Python producer reports it. */
export interface RegistryProducedRef {
  partition: number;
  offset: string;
  schemaId: number;
}

/** Produces `events` with confluent-kafka's Python serializers (scripts/dev/registry-producer.py). */
export async function produceWithRegistrySerializer(options: RegistryProducerOptions, events: readonly unknown[]): Promise<RegistryProducedRef[]> {
  const lines = await runScript(options, [], events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return lines.map((r) => ({ partition: r.partition, offset: String(r.offset), schemaId: r.schema_id }));
}

/** Reads `count` registry-framed JSON Schema values back with confluent-kafka's Python deserializer. */
export async function consumeWithRegistryDeserializer(
  options: Omit<RegistryProducerOptions, 'format'>,
  count: number,
): Promise<(RegistryProducedRef & { value: unknown })[]> {
  const lines = await runScript({ ...options, format: 'json' }, ['--consume', String(count)], '');
  return lines.map((r) => ({ partition: r.partition, offset: String(r.offset), schemaId: r.schema_id, value: r.value }));
}

interface ScriptLine {
  partition: number;
  offset: number;
  schema_id: number;
  value?: unknown;
}

const SCRIPT_TIMEOUT_MS = 120_000;
/** Before the kill, the script prints its own stacks (faulthandler), so a hang says where it is. */
const STACK_DUMP_BEFORE_KILL_MS = 10_000;

async function runScript(options: RegistryProducerOptions, extra: string[], stdin: string): Promise<ScriptLine[]> {
  const python = await ensureRegistryProducer();
  const script = path.join(repoRoot(), 'scripts', 'dev', 'registry-producer.py');
  const args = [script, '--bootstrap', options.bootstrap, '--registry', options.registryUrl, '--topic', options.topic, '--format', options.format, ...(options.caFile ? ['--ca', options.caFile] : []), ...(options.recordSubjects ? ['--record-subjects'] : []), '--dump-stack-after', String((SCRIPT_TIMEOUT_MS - STACK_DUMP_BEFORE_KILL_MS) / 1000), ...extra];
  return new Promise((resolve, reject) => {
    // The venv's interpreter is a symlink; run it from the venv path so site-packages are found.
    const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // The script bounds its own deliveries (90 s); past that something else hangs: say where.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new KafkaHarnessError(`registry-producer.py (${options.format}, ${extra.join(' ') || 'produce'}) did not finish in ${SCRIPT_TIMEOUT_MS / 1000} s: ${err.trim()}`));
    }, SCRIPT_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-4000)));
    child.on('error', (e) => reject(new KafkaHarnessError(`cannot run ${python}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new KafkaHarnessError(`registry-producer.py exited ${code}: ${err.trim()}`));
        return;
      }
      resolve(
        out
          .split('\n')
          .filter((l) => l.trim().length > 0)
          .map((l) => JSON.parse(l) as ScriptLine),
      );
    });
    child.stdin.end(stdin);
  });
}
