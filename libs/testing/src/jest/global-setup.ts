import { startKafkaBroker, type KafkaBroker } from '../kafka-broker';
import { kafkaVersionFromEnv } from '../kafka-versions';

/** Shared with global-teardown.ts: jest runs both in its parent process, with the same globals. */
export const BROKER_GLOBAL = '__SENTIMENT_TEST_KAFKA_BROKER__';

/**
 * Starts the broker shared by every integration test, unless KAFKA_TEST_BOOTSTRAP already names one.
 * Environment variables set here are inherited by jest's worker processes.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (process.env['KAFKA_TEST_BOOTSTRAP']) {
    process.env['KAFKA_TEST_VERSION'] ??= 'external';
    log(`\n[kafka-harness] using external broker ${process.env['KAFKA_TEST_BOOTSTRAP']}`);
    return;
  }
  const version = kafkaVersionFromEnv();
  log('');
  const broker = await startKafkaBroker({ version, log, buildStartupArchive: true });
  (globalThis as Record<string, unknown>)[BROKER_GLOBAL] = broker satisfies KafkaBroker;
  process.env['KAFKA_TEST_BOOTSTRAP'] = broker.bootstrap;
  process.env['KAFKA_TEST_VERSION'] = version;
}
