/**
 * `npm run demo -- [--events N] [--no-malformed] [--follow] [--kafka-port N|auto]`: the whole
 * pipeline on one machine, no Docker. Starts a local Kafka broker (libs/testing, KRaft), creates
 * the topics, starts the worker as its own process (exactly what `npm start` runs), sends N valid
 * events plus the malformed samples with the produce script, shows live progress read from the
 * worker's /metrics, and prints a report once every input has an outcome. Then it stops the
 * worker (SIGTERM: drain, commit, leave the group) and the broker, and exits; with --follow it
 * keeps refreshing until Ctrl-C. Exit code 0 when every input was accounted for.
 *
 * The worker uses RoBERTa when MODEL_DIR holds the model (npm run model:download), else VADER.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTopics, freePorts, startKafkaBroker, type KafkaBroker } from '@sentiment/testing';
import { parseDemoArgs, type DemoArgs } from './demo/demo-args';
import { runDemoChild, spawnDemoChild, type DemoChild } from './demo/demo-child';
import { formatReport, progressLine, snapshotFromMetrics, type DemoSnapshot } from './demo/demo-snapshot';

const root = path.resolve(__dirname, '..', '..');
const workerMain = path.join(root, 'dist', 'services', 'sentiment-worker', 'src', 'main.js');
const produceJs = path.join(root, 'dist', 'scripts', 'produce.js');
const validSamples = path.join(root, 'samples', 'calls.jsonl');
const malformedSamples = path.join(root, 'samples', 'malformed.jsonl');
const TOPICS = { input: 'calls.transcribed', output: 'calls.sentiment', dlq: 'calls.transcribed.dlq' };
const WORKER_SHUTDOWN_MS = 25_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePorts(args: DemoArgs): Promise<{ kafka: number; controller: number; api: number }> {
  const [a, b, c] = (await freePorts(3)) as [number, number, number];
  if (args.kafkaPort === 'auto') return { kafka: a, controller: b, api: c };
  const wanted = args.kafkaPort ?? 9092;
  if (await portIsFree(wanted)) return { kafka: wanted, controller: b, api: c };
  say(`[demo] port ${wanted} is taken: using ${a} for Kafka instead`);
  return { kafka: a, controller: b, api: c };
}

/** Non-empty lines, as the produce script counts them. */
function lineCount(file: string): number {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0).length;
}

async function fetchText(url: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined;
  }
}

class Demo {
  private broker: KafkaBroker | undefined;
  private worker: DemoChild | undefined;
  private stopping: Promise<void> | undefined;
  interrupted = false;
  private readonly logDir = mkdtempSync(path.join(os.tmpdir(), 'sentiment-demo-'));

  constructor(private readonly args: DemoArgs) {}

  async run(): Promise<number> {
    const args = this.args;
    const ports = await choosePorts(args);
    say(`[demo] starting Kafka on 127.0.0.1:${ports.kafka} (first run fetches the jars with Maven)...`);
    this.broker = await startKafkaBroker({ port: ports.kafka, controllerPort: ports.controller });
    const bootstrap = this.broker.bootstrap;
    say(`[demo] Kafka broker pid ${this.broker.pid} ready on ${bootstrap} in ${(this.broker.startupMs / 1000).toFixed(1)} s`);
    if (this.interrupted) return 130;

    await createTopics(bootstrap, [
      { topic: TOPICS.input, numPartitions: args.partitions },
      { topic: TOPICS.output, numPartitions: args.partitions },
      { topic: TOPICS.dlq, numPartitions: 1 },
    ]);
    say(`[demo] topics: ${TOPICS.input} (${args.partitions} partitions), ${TOPICS.output} (${args.partitions}), ${TOPICS.dlq} (1)`);

    const api = `http://127.0.0.1:${ports.api}`;
    const workerLog = path.join(this.logDir, 'worker.log');
    this.worker = spawnDemoChild(
      'worker',
      process.execPath,
      [workerMain],
      {
        ...process.env,
        KAFKA_BROKERS: bootstrap,
        INPUT_TOPIC: TOPICS.input,
        OUTPUT_TOPIC: TOPICS.output,
        DLQ_TOPIC: TOPICS.dlq,
        PORT: String(ports.api),
        HOST: '127.0.0.1',
        LOG_FORMAT: 'json',
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
        SHUTDOWN_TIMEOUT_MS: String(WORKER_SHUTDOWN_MS),
      },
      workerLog,
    );
    say(`[demo] worker pid ${this.worker.pid}, API ${api} (log: ${workerLog})`);
    await this.waitForReady(api);
    if (this.interrupted) return 130;
    const health = JSON.parse((await fetchText(`${api}/health`))?.text ?? '{}') as { scorer?: { active?: string } };
    say(`[demo] worker ready; scorer: ${health.scorer?.active ?? 'unknown'}`);

    const malformed = args.malformed ? lineCount(malformedSamples) : 0;
    const expected = args.events + malformed;
    const started = Date.now();
    const produceLog = path.join(this.logDir, 'produce.log');
    say(`[demo] sending ${args.events} events${malformed ? ` and ${malformed} malformed lines` : ''}...`);
    await runDemoChild('produce', process.execPath, [produceJs, validSamples, '--count', String(args.events), '--brokers', bootstrap, '--topic', TOPICS.input, '--traceparent'], process.env, produceLog);
    if (malformed) {
      await runDemoChild('produce', process.execPath, [produceJs, malformedSamples, '--brokers', bootstrap, '--topic', TOPICS.input], process.env, produceLog);
    }
    say(`[demo] sent ${expected} in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for every outcome`);

    const final = await this.watch(api, expected, started);
    if (!final) return 130;
    const healthRes = await fetchText(`${api}/health`);
    let healthBody: unknown;
    try {
      healthBody = JSON.parse(healthRes?.text ?? 'null');
    } catch {
      healthBody = undefined;
    }
    say(
      formatReport({
        snapshot: final.snapshot,
        expected,
        sent: { valid: args.events, malformed },
        elapsedMs: final.doneAt - started,
        health: { status: healthRes?.status ?? 0, body: healthBody },
      }),
    );
    const complete = final.snapshot.processed >= expected;
    if (args.follow && complete) {
      say('[demo] --follow: still watching (Ctrl-C stops the worker, then the broker)');
      await this.watch(api, Infinity, started);
    }
    return complete ? 0 : 1;
  }

  private async waitForReady(api: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!this.interrupted) {
      const res = await fetchText(`${api}/ready`);
      if (res?.status === 200) return;
      this.assertWorkerAlive();
      if (Date.now() > deadline) throw new Error(`the worker was not ready within 120 s: ${res?.text ?? 'no answer'}\n${this.worker?.logTail() ?? ''}`);
      await sleep(250);
    }
  }

  /**
   * Refreshes one progress line (in place on a terminal, every 5 s otherwise) until `expected`
   * outcomes are counted, the time runs out, or Ctrl-C. Undefined when interrupted.
   */
  private async watch(api: string, expected: number, started: number): Promise<{ snapshot: DemoSnapshot; doneAt: number } | undefined> {
    const tty = process.stdout.isTTY === true;
    let previous: DemoSnapshot | undefined;
    let lastPrinted = 0;
    let last: DemoSnapshot | undefined;
    while (!this.interrupted) {
      const res = await fetchText(`${api}/metrics`);
      if (tty && this.workerGone()) process.stdout.write('\n');
      this.assertWorkerAlive();
      if (res?.status === 200) {
        const snap = snapshotFromMetrics(res.text);
        const rate = previous ? ((snap.processed - previous.processed) * 1000) / Math.max(1, snap.at - previous.at) : 0;
        const line = progressLine(snap, expected === Infinity ? snap.processed : expected, rate);
        if (tty) process.stdout.write(`\r\x1b[2K${line}`);
        else if (snap.at - lastPrinted >= 5000 || snap.processed >= expected) {
          say(line);
          lastPrinted = snap.at;
        }
        previous = snap;
        last = snap;
        if (snap.processed >= expected) {
          if (tty) process.stdout.write('\n');
          return { snapshot: snap, doneAt: snap.at };
        }
      }
      if (Date.now() - started > this.args.timeoutMs && expected !== Infinity) {
        if (tty) process.stdout.write('\n');
        say(`[demo] gave up after ${this.args.timeoutMs / 1000} s`);
        return last ? { snapshot: last, doneAt: last.at } : undefined;
      }
      await sleep(tty ? 250 : 500);
    }
    if (tty) process.stdout.write('\n');
    return undefined;
  }

  private workerGone(): boolean {
    const child = this.worker?.child;
    return child !== undefined && (child.exitCode !== null || child.signalCode !== null);
  }

  private assertWorkerAlive(): void {
    if (this.workerGone()) {
      const child = this.worker?.child;
      throw new Error(`the worker exited (${child?.exitCode ?? child?.signalCode}):\n${this.worker?.logTail() ?? ''}`);
    }
  }

  /** Worker first (it commits what it finished and leaves the group), then the broker. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.worker) {
        const code = await this.worker.stop(WORKER_SHUTDOWN_MS + 5000);
        say(`[demo] worker pid ${this.worker.pid} stopped (exit ${code})`);
      }
      if (this.broker) {
        const pid = this.broker.pid;
        await this.broker.destroy();
        say(`[demo] Kafka broker pid ${pid} stopped`);
      }
      if (process.env['DEMO_KEEP_LOGS'] !== '1') rmSync(this.logDir, { recursive: true, force: true });
      else say(`[demo] logs kept in ${this.logDir}`);
    })();
    return this.stopping;
  }
}

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const demo = new Demo(args);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      say(`[demo] second ${signal}: exiting now (children are killed on exit)`);
      process.exit(130);
    }
    say(`\n[demo] ${signal}: stopping the worker, then the broker...`);
    demo.interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let code: number;
  try {
    // In --follow mode, Ctrl-C after a complete report is the normal way out: run() answers 0.
    code = await demo.run();
  } catch (err) {
    process.stderr.write(`[demo] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  await demo.stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[demo] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
