import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KafkaHarnessError } from './harness-error';
import { kafkaLogging, kafkaMajor } from './kafka-versions';
import { kafkaCacheDir, repoRoot } from './repo-paths';

const COMPLETE_MARKER = '.complete';

/** Where the jars of one Kafka version live once fetched: `.cache/kafka/<version>/libs`. */
export function kafkaLibsDir(version: string): string {
  return path.join(kafkaCacheDir(), version, 'libs');
}

/**
 * Only for releases published without kafka-tools: the console tools of an earlier release,
 * with that release's own dependencies (`.cache/kafka/<version>/tools-libs`).
 */
export function kafkaToolsLibsDir(version: string): string {
  return path.join(kafkaCacheDir(), version, 'tools-libs');
}

export function kafkaJarsPresent(version: string): boolean {
  return existsSync(path.join(kafkaLibsDir(version), COMPLETE_MARKER));
}

/** A JVM classpath wildcard for the fetched jars (Java expands `dir/*` to every jar in it). */
export function kafkaClasspath(version: string): string {
  return path.join(kafkaLibsDir(version), '*');
}

/** Classpath to run `className` with: the tools module's classes come from tools-libs when there is one. */
export function kafkaToolClasspath(version: string, className: string): string {
  const toolsDir = kafkaToolsLibsDir(version);
  if (className.startsWith('org.apache.kafka.tools.') && existsSync(toolsDir)) return path.join(toolsDir, '*');
  return kafkaClasspath(version);
}

export interface FetchOptions {
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Makes sure Apache Kafka's jars for `version` are in the cache, fetching them with Maven
 * (tools/kafka/pom.xml) on first use. Idempotent and safe when several processes race:
 * each fetches into its own temporary directory, and the first to finish renames it into place.
 * Resolves to the libs directory.
 */
export function ensureKafkaJars(version: string, options: FetchOptions = {}): Promise<string> {
  kafkaMajor(version); // validates the version string before it reaches a command line
  if (kafkaJarsPresent(version)) return Promise.resolve(kafkaLibsDir(version));
  let pending = inFlight.get(version);
  if (!pending) {
    pending = fetchKafkaJars(version, options.log ?? ((line) => process.stderr.write(`${line}\n`))).finally(() =>
      inFlight.delete(version),
    );
    inFlight.set(version, pending);
  }
  return pending;
}

async function fetchKafkaJars(version: string, log: (line: string) => void): Promise<string> {
  const versionDir = path.join(kafkaCacheDir(), version);
  const target = kafkaLibsDir(version);
  const staging = path.join(versionDir, `staging-${process.pid}-${Date.now()}`);
  const stagedLibs = path.join(staging, 'libs');
  const stagedTools = path.join(staging, 'tools-libs');
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(`[kafka-harness] fetching Apache Kafka ${version} jars with Maven into ${target} (first use only)`);
  const pinnedTools = process.env['KAFKA_TOOLS_VERSION']?.trim() || undefined;
  try {
    let split = pinnedTools !== undefined && pinnedTools !== version;
    if (!split) {
      try {
        await runMaven({ version, outputDir: stagedLibs, toolsVersion: version });
      } catch (err) {
        if (!(err instanceof Error) || !/kafka-tools/.test(err.message)) throw err;
        // Some releases reach the repository without kafka-tools (4.4.0 on Maven Central here).
        log(`[kafka-harness] ${firstLine(err)}: using the console tools of an earlier ${kafkaMajor(version)}.x release`);
        split = true;
      }
    }
    if (split) {
      // Tools of another release need that release's own kafka-clients, so they get a classpath of their own.
      rmSync(stagedLibs, { recursive: true, force: true });
      await runMaven({ version, outputDir: stagedLibs, set: 'broker' });
      const toolsVersion = pinnedTools ?? `[${kafkaMajor(version)}.0.0,${version}]`;
      await runMaven({ version, outputDir: stagedTools, set: 'tools', toolsVersion });
    }
    const toolsDir = split ? stagedTools : stagedLibs;
    const tools = readdirSync(toolsDir).find((f) => /^kafka-tools-\d.*\.jar$/.test(f)) ?? 'none';
    writeFileSync(
      path.join(stagedLibs, COMPLETE_MARKER),
      JSON.stringify({ version, tools, toolsDir: split ? 'tools-libs' : 'libs', fetchedAt: new Date().toISOString() }) + '\n',
    );
    // tools-libs first: libs carries the completion marker, so it must land last.
    if (split) moveIntoPlace(stagedTools, kafkaToolsLibsDir(version));
    moveIntoPlace(stagedLibs, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`[kafka-harness] Kafka ${version} jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

/** Renames a staged directory into place; if another process got there first, its copy is as good. */
function moveIntoPlace(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if (!existsSync(to)) throw err;
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

interface MavenRun {
  version: string;
  outputDir: string;
  /** Version (or Maven range) of kafka-tools. */
  toolsVersion?: string;
  /** Only one half of the jars (see the profiles in tools/kafka/pom.xml). */
  set?: 'broker' | 'tools';
}

function runMaven(run: MavenRun): Promise<void> {
  const { version, outputDir, toolsVersion = version } = run;
  const pom = path.join(repoRoot(), 'tools', 'kafka', 'pom.xml');
  const args = [
    '-q',
    '-B',
    '-f',
    pom,
    `-Dkafka.version=${version}`,
    `-Dkafka.tools.version=${toolsVersion}`,
    `-Dkafka.logging=${kafkaLogging(version)}`,
    ...(run.set ? [`-Dkafka.set=${run.set}`] : []),
    `-Dkafka.libs.dir=${outputDir}`,
    'dependency:copy-dependencies',
  ];
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.env['MVN'] ?? 'mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) =>
      reject(
        new KafkaHarnessError(
          `cannot run Maven (${err.message}); install a JDK and Maven first: scripts/install-system-deps.sh`,
          { cause: err },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new KafkaHarnessError(`${mavenErrorLine(output)} (mvn exit code ${code})\nmvn ${args.join(' ')}\n${output.trim()}`, {
            details: { version, toolsVersion },
          }),
        );
    });
  });
}

/** The line of Maven's output that says what went wrong (colour codes stripped). */
function mavenErrorLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => l.includes('[ERROR]') && l.trim() !== '[ERROR]');
  return line?.replace(/^.*?\[ERROR\]\s*/, '').slice(0, 300) ?? 'Maven failed';
}
