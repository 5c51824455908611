import { describeError, isRetriable, KafkaError } from '@sentiment/errors';
import { isGroupFencing, type ConsumedBatch, type OutgoingMessage, type ResultProducer, type SendReport, type TopicMessages } from '@sentiment/kafka';
import type { Logger } from '@sentiment/observability';
import type { Outcome } from './batch-types';
import { deadLetterOutcome, type OutcomeOptions } from './build-outcomes';

export interface SendOptions extends OutcomeOptions {
  exactlyOnce: boolean;
}

function split(outcomes: readonly Outcome[], options: SendOptions): TopicMessages[] {
  const results: OutgoingMessage[] = [];
  const deadLetters: OutgoingMessage[] = [];
  for (const o of outcomes) (o.kind === 'result' ? results : deadLetters).push(o.record);
  return [
    { topic: options.outputTopic, messages: results },
    { topic: options.dlqTopic, messages: deadLetters },
  ];
}

/** A dead letter the broker refuses for good: the partition stops (not committed) rather than skipping the input. */
function deadLetterRefused(report: SendReport, options: SendOptions): KafkaError | undefined {
  const refused = report.undeliverable.find((u) => u.topic === options.dlqTopic);
  if (!refused) return undefined;
  return new KafkaError('PRODUCE_FAILED', `the dead-letter topic ${options.dlqTopic} refused a dead letter: ${refused.reason}`, { retriable: false });
}

/**
 * Step 4: every outcome to the broker, acknowledged by all in-sync replicas, before the batch
 * may be committed. A result the broker refuses for good becomes that input's dead letter
 * (its own reason code); its neighbours keep their results. Returns the outcomes as delivered.
 *
 * Throws (the batch is not committed and is consumed again) when a transient failure outlasted
 * the retries, or when the dead-letter topic itself refuses a dead letter.
 */
export async function sendOutcomes(batch: ConsumedBatch, outcomes: readonly Outcome[], producer: ResultProducer, options: SendOptions, log: Logger): Promise<Outcome[]> {
  return options.exactlyOnce ? sendTransactional(batch, [...outcomes], producer, options, log) : sendAtLeastOnce(batch, [...outcomes], producer, options);
}

async function sendAtLeastOnce(batch: ConsumedBatch, outcomes: Outcome[], producer: ResultProducer, options: SendOptions): Promise<Outcome[]> {
  const report = await producer.send(split(outcomes, options));
  const refusedDeadLetter = deadLetterRefused(report, options);
  if (refusedDeadLetter) throw refusedDeadLetter;
  if (report.undeliverable.length === 0) return outcomes;
  const byRecord = new Map(outcomes.map((o) => [o.record, o]));
  const replacements: Outcome[] = [];
  for (const u of report.undeliverable) {
    const original = byRecord.get(u.message);
    if (!original) continue;
    const replacement = deadLetterOutcome(batch, original.index, original.message, u.code, `result could not be produced: ${u.reason}`, options);
    outcomes[original.index] = replacement;
    replacements.push(replacement);
  }
  const second = await producer.send(split(replacements, options));
  const refused = deadLetterRefused(second, options);
  if (refused) throw refused;
  return outcomes;
}

async function sendTransactional(batch: ConsumedBatch, outcomes: Outcome[], producer: ResultProducer, options: SendOptions, log: Logger): Promise<Outcome[]> {
  const offsets = { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset, membership: batch.membership };
  for (let round = 0; round < 3; round++) {
    let report: SendReport;
    try {
      report = await producer.sendInTransaction(split(outcomes, options), offsets);
    } catch (err) {
      // Fenced (the group moved on): the batch is not ours to finish; nothing is wrong with its messages.
      if (isRetriable(err) || isGroupFencing(err) || outcomes.every((o) => o.kind === 'dead-letter')) throw err;
      // Refused for good inside a transaction, which aborted: nothing of it is visible, so every
      // result of the batch becomes a dead letter and the transaction is tried with those.
      log.error('the transaction was refused; dead-lettering the batch', { topic: batch.topic, partition: batch.partition, error: describeError(err) });
      for (const o of outcomes) {
        if (o.kind === 'result') outcomes[o.index] = deadLetterOutcome(batch, o.index, o.message, 'PRODUCE_FAILED', `result could not be produced: ${(err as Error).message}`, options);
      }
      continue;
    }
    if (report.undeliverable.length === 0) return outcomes;
    const refused = deadLetterRefused(report, options);
    if (refused) throw refused;
    // Nothing was sent: replace what cannot fit and try the transaction again.
    const byRecord = new Map(outcomes.map((o) => [o.record, o]));
    for (const u of report.undeliverable) {
      const original = byRecord.get(u.message);
      if (original) outcomes[original.index] = deadLetterOutcome(batch, original.index, original.message, u.code, `result could not be produced: ${u.reason}`, options);
    }
  }
  throw new KafkaError('PRODUCE_FAILED', 'the transaction could not be completed after replacing refused results', { retriable: false });
}
