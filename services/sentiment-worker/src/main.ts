import { describeError, ConfigError } from '@sentiment/errors';
import { createLogger } from '@sentiment/observability';
import { loadConfig } from './config';
import { runSelfTest } from './self-test';
import { startSentimentWorker } from './sentiment-worker';

/**
 * Production entry point (`npm start`, the Docker image): configuration from the
 * environment, the worker with its HTTP API, and signal handling.
 * Exit codes: 0 after a graceful stop, 1 on a fatal error, 2 on bad configuration.
 */
async function main(): Promise<number> {
  if (process.argv.includes('--self-test')) return runSelfTest();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: config.env.LOG_LEVEL, format: config.env.LOG_FORMAT, service: 'sentiment-worker' });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: describeError(reason) }));

  const worker = await startSentimentWorker(config, logger);
  let signals = 0;
  const exitCode = await new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn('second signal: exiting now', { signal });
        resolve(130);
        return;
      }
      worker.stop(`received ${signal}`).then(
        () => resolve(0),
        (err: unknown) => {
          logger.error('graceful stop failed', { error: describeError(err) });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    void worker.fatal.then(async (err) => {
      logger.error('fatal: exiting so the supervisor restarts the worker', { error: err.toJSON() });
      await worker.stop('fatal consumer error').catch(() => undefined);
      resolve(1);
    });
  });
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Give stdout a moment to flush, then make sure no stray handle keeps the process alive.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(`fatal start-up error: ${JSON.stringify(describeError(err))}\n`);
    process.exit(1);
  },
);
