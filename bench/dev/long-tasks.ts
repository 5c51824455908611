/**
 * Dev tool: which callbacks block the worker's event loop? Runs the worker in this process on a
 * local broker with 20,000 TweetEval events and records, with async_hooks, every callback that
 * ran longer than --threshold ms (default 20), by resource type (TCPWRAP: socket data, i.e.
 * kafkajs decoding a response; Immediate: our slices; PROMISE: continuations; ...).
 *
 *   node dist/bench/dev/long-tasks.js [--threshold 20] [--events 20000] [--env NAME=value ...]
 */
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '@sentiment/observability';
import { loadConfig } from '../../services/sentiment-worker/src/config';
import { startSentimentWorker } from '../../services/sentiment-worker/src/sentiment-worker';
import { createTopics } from '@sentiment/testing';
import { fillEvents, startBenchBroker, tweetEvalTestTexts } from '../lib/bench-broker';
import { waitForCount } from '../lib/result-rate';

const args = process.argv.slice(2);
const threshold = Number(args[args.indexOf('--threshold') + 1] || 20) || 20;
const events = Number(args.includes('--events') ? args[args.indexOf('--events') + 1] : 20000);
/** Worker settings to try (`--env BATCH_PROCESSING=main-thread --env KAFKA_CLIENT=platformatic`). */
const envOverrides = Object.fromEntries(args.flatMap((a, i) => (a === '--env' ? [String(args[i + 1]).split('=')] : [])).map(([k, ...v]) => [k as string, v.join('=')]));

async function main(): Promise<void> {
  const broker = await startBenchBroker();
  try {
    await createTopics(broker.bootstrap, [
      { topic: 'calls.sentiment', numPartitions: 6 },
      { topic: 'calls.transcribed.dlq', numPartitions: 1 },
    ]);
    await fillEvents(broker.bootstrap, 'calls.transcribed', 6, tweetEvalTestTexts(), events);

    const types = new Map<number, string>();
    const started = new Map<number, number>();
    const long: { type: string; ms: number; startUs: number; endUs: number }[] = [];
    const nowUs = () => Number(process.hrtime.bigint() / 1000n);
    const startedUs = new Map<number, number>();
    // Loop iterations: an immediate re-armed from the check phase runs once per iteration.
    const iterations: { ms: number; callbacks: Map<string, { n: number; ms: number }>; }[] = [];
    let iterStart = performance.now();
    let current = new Map<string, { n: number; ms: number }>();
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      if (now - iterStart > threshold * 3) iterations.push({ ms: now - iterStart, callbacks: current });
      iterStart = now;
      current = new Map();
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const hook = createHook({
      init(id, type) {
        types.set(id, type);
      },
      before(id) {
        started.set(id, performance.now());
        startedUs.set(id, nowUs());
      },
      after(id) {
        const t = started.get(id);
        if (t === undefined) return;
        const ms = performance.now() - t;
        if (ms > threshold) long.push({ type: types.get(id) ?? '?', ms, startUs: startedUs.get(id) ?? 0, endUs: nowUs() });
        const type = types.get(id) ?? '?';
        const agg = current.get(type) ?? { n: 0, ms: 0 };
        agg.n++;
        agg.ms += ms;
        current.set(type, agg);
      },
      destroy(id) {
        types.delete(id);
        started.delete(id);
        startedUs.delete(id);
      },
    });
    const worker = await startSentimentWorker(loadConfig({ KAFKA_BROKERS: broker.bootstrap, SCORER: 'vader', PORT: '0', KAFKA_GROUP_ID: 'long-tasks', ...envOverrides }), silentLogger);
    hook.enable();
    const t0 = performance.now();
    await waitForCount(broker.bootstrap, 'calls.sentiment', events, 600000);
    const seconds = (performance.now() - t0) / 1000;
    hook.disable();
    ticking = false;
    iterations.sort((a, b) => b.ms - a.ms);
    console.log(`loop iterations over ${threshold * 3} ms: ${iterations.length}`);
    for (const it of iterations.slice(0, 8)) {
      const parts = [...it.callbacks].map(([t, a]) => `${t} x${a.n} ${a.ms.toFixed(1)}ms`).join(', ');
      console.log(`  ${it.ms.toFixed(1)} ms: ${parts}`);
    }
    await worker.stop();
    // With --cpu-prof, these windows (CLOCK_MONOTONIC µs, as the profile's) tell which samples blocked.
    writeFileSync('long-task-windows.json', JSON.stringify(long));
    const byType = new Map<string, number[]>();
    for (const l of long) byType.set(l.type, [...(byType.get(l.type) ?? []), l.ms]);
    console.log(`${events} events in ${seconds.toFixed(2)} s; callbacks over ${threshold} ms:`);
    for (const [type, list] of byType) {
      list.sort((a, b) => b - a);
      console.log(`  ${type}: ${list.length}, longest ${list.slice(0, 5).map((x) => x.toFixed(1)).join(', ')} ms`);
    }
  } finally {
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
