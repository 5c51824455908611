/**
 * `npm run dlq:replay -- [--reason CODE] [--since TIME] [--until TIME] [--dry-run] [--force]`:
 * publishes dead letters' original inputs back to their input topic, at most once each, and
 * prints a summary by reason (docs/operations.md, "Replaying dead letters"). Kafka connection,
 * DLQ_TOPIC and INPUT_TOPIC are the worker's own settings (same environment variables).
 * Exit codes: 0 done, 1 failed, 2 bad arguments or configuration.
 */
import { DeadLetterReasons } from '@sentiment/events';
import { ConfigError, describeError } from '@sentiment/errors';
import { createKafkajsToolClient } from '@sentiment/kafka';
import { createLogger } from '@sentiment/observability';
import winston from 'winston';
import { loadConfig } from '../services/sentiment-worker/src/config';
import { parseReplayArgs, ReplayUsageError } from './dlq-replay/replay-options';
import { createReplayKafka } from './dlq-replay/replay-kafka';
import { runReplay } from './dlq-replay/run-replay';

async function main(): Promise<number> {
  let options;
  let config;
  try {
    options = parseReplayArgs(process.argv.slice(2), [...DeadLetterReasons, 'UNKNOWN']);
    config = loadConfig();
  } catch (err) {
    if (err instanceof ReplayUsageError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { env, kafka } = config;
  // Client logs go to stderr, warnings and worse: stdout is the summary.
  const logger = createLogger({ level: 'warn', service: 'dlq-replay', transports: [new winston.transports.Stream({ stream: process.stderr })] });
  const client = createReplayKafka(
    createKafkajsToolClient({ ...kafka, clientId: `${kafka.clientId}-dlq-replay` }, logger),
    `${options.group}-${env.DLQ_TOPIC}`,
  );
  const started = Date.now();
  try {
    process.stdout.write(
      `dlq:replay ${options.dryRun ? '(dry run) ' : ''}from ${env.DLQ_TOPIC} to ${env.INPUT_TOPIC} (or each letter's x-source-topic); progress groups ${options.group}.<REASON>\n`,
    );
    const summary = await runReplay(client, options, { dlq: env.DLQ_TOPIC, input: env.INPUT_TOPIC }, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${summary.format(options.dryRun)}\n`);
    process.stdout.write(`${options.dryRun ? 'would replay' : 'replayed'} ${summary.total('replayed')} dead letter(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`dlq:replay failed: ${JSON.stringify(describeError(err))}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dlq:replay failed: ${JSON.stringify(describeError(err))}\n`);
    process.exit(1);
  },
);
