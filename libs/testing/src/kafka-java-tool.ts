import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { KafkaHarnessError } from './harness-error';
import { javaCommand, toolJvmOptions } from './java-command';
import { ensureKafkaJars, kafkaToolClasspath } from './kafka-jars';
import { writeKafkaLoggingConfig } from './kafka-logging-config';
import { kafkaCacheDir } from './repo-paths';

export interface JavaToolOptions {
  /** Written to the tool's stdin, which is then closed (the console producer reads until EOF). */
  stdin?: string | Buffer;
  /** Kills the tool after this long (default 120 s). */
  timeoutMs?: number;
  /** Resolve even when the tool exits non-zero (default: reject with its stderr). */
  allowFailure?: boolean;
  /** Log level of the tool's own logging, which goes to stderr (default WARN). */
  logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  /** Extra JVM flags, e.g. `-Dsome.property=x`. */
  jvmOptions?: string[];
}

export interface JavaToolResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one of Kafka's own Java command-line classes from the fetched jars, e.g. the console
 * producer (see consoleProducerClass()) with `--compression-codec zstd`: a client other than
 * kafkajs, and codecs kafkajs lacks. Fetches the jars on first use.
 */
export async function runKafkaJavaTool(
  version: string,
  className: string,
  args: readonly string[],
  options: JavaToolOptions = {},
): Promise<JavaToolResult> {
  await ensureKafkaJars(version);
  const confDir = path.join(kafkaCacheDir(), version, 'conf');
  mkdirSync(confDir, { recursive: true });
  const logFlag = writeKafkaLoggingConfig(confDir, version, options.logLevel ?? 'WARN', 'System.err');
  const jvmArgs = [...toolJvmOptions(), logFlag, ...(options.jvmOptions ?? []), '-cp', kafkaToolClasspath(version, className)];
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), [...jvmArgs, className, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-64_000);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new KafkaHarnessError(`cannot start java for ${className}: ${e.message}`, { cause: e }));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const result: JavaToolResult = { exitCode, signal, stdout: Buffer.concat(out), stderr: err };
      if (timedOut) {
        reject(new KafkaHarnessError(`${className} timed out after ${timeoutMs} ms:\n${err.trim()}`));
      } else if (exitCode !== 0 && !options.allowFailure) {
        reject(new KafkaHarnessError(`${className} ${args.join(' ')} exited with ${exitCode ?? signal}:\n${err.trim()}`));
      } else {
        resolve(result);
      }
    });
    // The tool may exit before reading all of stdin (bad arguments): that is reported by its exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
