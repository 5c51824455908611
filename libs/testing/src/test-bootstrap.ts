import { KafkaHarnessError } from './harness-error';

/**
 * Address of the broker shared by the integration tests (set by the jest global setup, or
 * by the user for an external broker). Throws a clear error when a test runs without it.
 */
export function testBootstrap(): string {
  const bootstrap = process.env['KAFKA_TEST_BOOTSTRAP']?.trim();
  if (!bootstrap) {
    throw new KafkaHarnessError(
      'KAFKA_TEST_BOOTSTRAP is not set. Run integration tests with `npm run test:int` ' +
        '(jest --selectProjects integration: its global setup starts a local broker), ' +
        'or set KAFKA_TEST_BOOTSTRAP=host:port to use a running broker.',
    );
  }
  return bootstrap;
}

/** Version of the shared test broker ('external' when KAFKA_TEST_BOOTSTRAP was given from outside). */
export function testKafkaVersion(): string {
  return process.env['KAFKA_TEST_VERSION'] ?? 'external';
}
