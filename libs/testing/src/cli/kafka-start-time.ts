// npm run bench:kafka-start [-- <runs>]: how long the harness takes to format, start and stop a broker.
import { performance } from 'node:perf_hooks';
import { startKafkaBroker } from '../kafka-broker';
import { kafkaVersionFromEnv } from '../kafka-versions';

async function main(): Promise<void> {
  const version = kafkaVersionFromEnv();
  const runs = Number(process.argv[2] ?? '3');
  console.log(`Kafka ${version}, ${runs} runs (JVM heap: ${process.env['KAFKA_TEST_HEAP_OPTS'] ?? 'default'})`);
  for (let i = 1; i <= runs; i++) {
    const t0 = performance.now();
    const broker = await startKafkaBroker({ version });
    const ready = performance.now();
    const firstStartupMs = broker.startupMs;
    await broker.stop();
    const stopped = performance.now();
    await broker.start();
    const restarted = performance.now();
    await broker.destroy();
    const destroyed = performance.now();
    const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `run ${i}: format+start ${s(ready - t0)} (JVM to ready ${s(firstStartupMs)}), ` +
        `stop ${s(stopped - ready)}, restart ${s(restarted - stopped)}, final stop ${s(destroyed - restarted)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
