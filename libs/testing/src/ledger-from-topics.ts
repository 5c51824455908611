import { Ledger, type LedgerReport } from './ledger';
import { readTopicToEnd, type ReadTopicOptions } from './read-topic';

export interface LedgerTopics {
  input: string;
  output: string;
  dlq: string;
}

/**
 * Reads the input, output and dead-letter topics to their current ends and balances them
 * (see Ledger). Call once the worker has drained its input.
 */
export async function ledgerFromTopics(
  bootstrap: string,
  topics: LedgerTopics,
  options: ReadTopicOptions = {},
): Promise<LedgerReport> {
  const [inputs, results, deadLetters] = await Promise.all([
    readTopicToEnd(bootstrap, topics.input, options),
    readTopicToEnd(bootstrap, topics.output, options),
    readTopicToEnd(bootstrap, topics.dlq, options),
  ]);
  return new Ledger(topics.input).addInputs(inputs).addResults(results).addDeadLetters(deadLetters).report();
}
