import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from './free-port';
import { KafkaHarnessError } from './harness-error';
import { ensureJavaHome } from './java-runtime';
import { guardChild } from './orphan-guard';
import { repoRoot } from './repo-paths';
import { createTestTls } from './self-signed-tls';

/** Apicurio Registry release the harness runs (its Confluent-compatible API is what the worker talks to). */
export const DEFAULT_APICURIO_VERSION = '3.3.3';
/** Apicurio 3.x is built for Java 21. */
const APICURIO_MIN_JAVA = 21;
const COMPLETE_MARKER = '.complete';

export function apicurioCacheDir(): string {
  return process.env['APICURIO_CACHE_DIR'] ?? path.join(repoRoot(), '.cache', 'apicurio');
}

function distDir(version: string): string {
  return path.join(apicurioCacheDir(), version, 'dist');
}

const fetching = new Map<string, Promise<string>>();

/**
 * Makes sure Apicurio's distribution is unpacked in .cache/apicurio/<version>/dist, fetching it with
 * Maven (tools/apicurio/pom.xml, ~160 MB into ~/.m2 once) on first use. Safe when processes race:
 * each unpacks into its own staging directory and the first rename wins.
 */
export function ensureApicurio(version: string = DEFAULT_APICURIO_VERSION, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  if (!/^\d+\.\d+\.\d+(\.Final)?$/.test(version)) throw new KafkaHarnessError(`not an Apicurio version: ${JSON.stringify(version)}`);
  const target = distDir(version);
  if (existsSync(path.join(target, COMPLETE_MARKER))) return Promise.resolve(target);
  let pending = fetching.get(version);
  if (!pending) {
    pending = (async () => {
      const staging = path.join(apicurioCacheDir(), version, `staging-${process.pid}-${Date.now()}`);
      mkdirSync(staging, { recursive: true });
      const started = Date.now();
      log(`[registry-harness] fetching Apicurio Registry ${version} with Maven into ${target} (first use only)`);
      try {
        await runMaven(['-q', '-B', '-f', path.join(repoRoot(), 'tools', 'apicurio', 'pom.xml'), `-Dapicurio.version=${version}`, `-Dapicurio.dir=${staging}`, 'dependency:unpack']);
        if (!existsSync(path.join(staging, 'quarkus-run.jar'))) throw new KafkaHarnessError(`Apicurio ${version}: quarkus-run.jar missing after unpacking`);
        writeFileSync(path.join(staging, COMPLETE_MARKER), `${JSON.stringify({ version, fetchedAt: new Date().toISOString() })}\n`);
        try {
          renameSync(staging, target);
        } catch (err) {
          if (!existsSync(path.join(target, COMPLETE_MARKER))) throw err;
        }
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      log(`[registry-harness] Apicurio ${version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return target;
    })().finally(() => fetching.delete(version));
    fetching.set(version, pending);
  }
  return pending;
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.env['MVN'] ?? 'mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-6000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => reject(new KafkaHarnessError(`cannot run Maven (${err.message}); install it first: scripts/install-system-deps.sh`, { cause: err })));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new KafkaHarnessError(`mvn ${args.join(' ')} failed (exit ${code})\n${output.trim()}`))));
  });
}

export interface StartSchemaRegistryOptions {
  version?: string;
  /** HTTP(S) port on 127.0.0.1 (default: a free one); kept across stop()/start(). */
  port?: number;
  /** Serve HTTPS only, with a certificate from a throw-away CA (`caPem` on the handle). */
  tls?: boolean;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SchemaRegistryServer {
  readonly version: string;
  readonly port: number;
  /** Base URL of the Confluent-compatible API (what SCHEMA_REGISTRY_URL is set to). */
  readonly url: string;
  /** PEM of the CA that signed the server certificate (with `tls`). */
  readonly caPem: string | undefined;
  readonly caFile: string | undefined;
  /** JVM spawn to first answer of the last start, in ms. */
  readonly startupMs: number;
  readonly logFile: string;
  /** SIGTERM; the in-memory registry forgets every schema. */
  stop(): Promise<void>;
  /** Starts again on the same port (empty). */
  start(): Promise<void>;
  /** stop() and remove the temporary directory. */
  destroy(): Promise<void>;
  logTail(lines?: number): string;
}

/**
 * A real Apicurio Registry (Quarkus, in-memory H2 storage) as a plain `java -jar` process on
 * 127.0.0.1, on Java 21+, like the Kafka broker harness: no Docker. Ready when the
 * Confluent-compatible API answers `GET /subjects`.
 */
export async function startSchemaRegistry(options: StartSchemaRegistryOptions = {}): Promise<SchemaRegistryServer> {
  const version = options.version ?? process.env['APICURIO_VERSION'] ?? DEFAULT_APICURIO_VERSION;
  const dist = await ensureApicurio(version, options.log);
  const javaHome = await ensureJavaHome(APICURIO_MIN_JAVA);
  const [port = 0, managementPort = 0] = options.port ? [options.port, ...(await freePorts(1))] : await freePorts(2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apicurio-test-'));
  const tls = options.tls ? await createTestTls(dir) : undefined;
  const logFile = path.join(dir, 'registry.log');
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}/apis/ccompat/v7`;
  let child: ChildProcess | undefined;
  let startupMs = 0;

  const props: Record<string, string> = {
    'quarkus.http.host': '127.0.0.1',
    'quarkus.management.port': String(managementPort),
    'quarkus.management.host': '127.0.0.1',
    // Per-request access log lines are noise in a test log.
    'quarkus.log.category."io.quarkus.http.access-log".level': 'WARN',
    ...(tls
      ? {
          'quarkus.http.ssl-port': String(port),
          'quarkus.http.port': String((await freePorts(1))[0]),
          'quarkus.http.insecure-requests': 'disabled',
          'quarkus.http.ssl.certificate.files': path.join(dir, 'broker.pem'),
          'quarkus.http.ssl.certificate.key-files': path.join(dir, 'broker.key'),
        }
      : { 'quarkus.http.port': String(port) }),
  };

  const start = async (): Promise<void> => {
    const started = Date.now();
    const out = openSync(logFile, 'a');
    let exited: string | undefined;
    try {
      child = spawn(
        path.join(javaHome, 'bin', 'java'),
        [
          '-Xms64m', '-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
          ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`),
          '-jar', path.join(dist, 'quarkus-run.jar'),
        ],
        { cwd: dir, stdio: ['ignore', out, out] },
      );
    } finally {
      closeSync(out);
    }
    guardChild(child);
    child.once('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
    });
    const deadline = started + (options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (exited) throw new KafkaHarnessError(`Apicurio ${version} ${exited} before answering\n--- ${logFile} ---\n${tail(logFile, 30)}`);
      if (await answers(url, tls?.caPem)) break;
      if (Date.now() > deadline) throw new KafkaHarnessError(`Apicurio ${version} did not answer on ${url}\n--- ${logFile} ---\n${tail(logFile, 30)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    startupMs = Date.now() - started;
    options.log?.(`[registry-harness] Apicurio ${version} ready on ${url} in ${startupMs} ms`);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };

  await start();
  return {
    version,
    port,
    url,
    caPem: tls?.caPem,
    caFile: tls?.caFile,
    get startupMs() {
      return startupMs;
    },
    logFile,
    stop,
    start,
    async destroy() {
      await stop();
      if (!process.env['KAFKA_TEST_KEEP_DATA']) rmSync(dir, { recursive: true, force: true });
    },
    logTail: (lines = 40) => tail(logFile, lines),
  };
}

async function answers(url: string, caPem: string | undefined): Promise<boolean> {
  const target = new URL(`${url}/subjects`);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    const req = request(target, { method: 'GET', timeout: 2000, ...(caPem ? { ca: caPem } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
