import { DeadLetterReasons, ReplayableDeadLetterReasons } from '@sentiment/events';
import { decideReplay, progressGroup, reasonOf, type ReplayMessage } from './replay-decision';
import type { ReplayKafka } from './replay-kafka';
import type { ReplayOptions } from './replay-options';
import { ReplaySummary } from './replay-summary';

export interface ReplayTopics {
  dlq: string;
  /** Where a dead letter goes back to when it does not name its source topic. */
  input: string;
}

/**
 * One replay run over the dead-letter topic. Each reason has a progress group of its own
 * (`<group>.<REASON>`) whose committed offset says how far replay has handled that reason's
 * letters; replayed inputs and the new progress are committed in one transaction, so a letter is
 * replayed at most once, also when a run is killed half-way.
 */
export async function runReplay(kafka: ReplayKafka, options: ReplayOptions, topics: ReplayTopics, log: (line: string) => void = () => undefined): Promise<ReplaySummary> {
  const reasons = new Set<string>(options.reasons ?? (options.force ? [...DeadLetterReasons] : [...ReplayableDeadLetterReasons]));
  const groups = new Map([...reasons].map((r) => [r, progressGroup(options.group, r)]));
  const [offsets, committed] = await Promise.all([kafka.offsets(topics.dlq), kafka.committed([...groups.values()], topics.dlq)]);
  const positionOf = (reason: string, partition: number, low: bigint): bigint => committed.get(groups.get(reason) ?? '')?.get(partition) ?? low;

  const from = new Map<number, bigint>();
  const to = new Map<number, bigint>();
  for (const [partition, { low, high }] of offsets) {
    let start = high;
    for (const reason of reasons) {
      const at = positionOf(reason, partition, low);
      if (at < start) start = at;
    }
    from.set(partition, start < low ? low : start);
    to.set(partition, high);
  }

  const summary = new ReplaySummary();
  await kafka.read(topics.dlq, from, to, async (partition, letters) => {
    const low = offsets.get(partition)?.low ?? 0n;
    const messages: ReplayMessage[] = [];
    const advanced = new Map<string, bigint>();
    let stop = false;
    for (const letter of letters) {
      const reason = reasonOf(letter);
      const offset = BigInt(letter.offset);
      if (reasons.has(reason) && offset < positionOf(reason, partition, low)) {
        summary.alreadyHandled(reason);
        continue;
      }
      const decision = decideReplay(letter, options, reasons, topics.input, topics.dlq);
      summary.add(decision);
      if (decision.action === 'stop') {
        stop = true;
        break;
      }
      if (decision.action === 'ignore') continue;
      if (decision.action === 'replay') {
        if (decision.message.nullHeaders.length > 0 && !kafka.nullHeaderValues) {
          log(`${topics.dlq}/${partition}/${letter.offset}: header(s) ${decision.message.nullHeaders.join(', ')} had no value on the input; this Kafka client sends them empty`);
        }
        messages.push(decision.message);
      }
      advanced.set(reason, offset + 1n);
    }
    if (!options.dryRun && advanced.size > 0) {
      await kafka.publish(
        messages,
        [...advanced].map(([reason, offset]) => ({ group: groups.get(reason) as string, topic: topics.dlq, partition, offset })),
      );
    }
    return stop ? 'stop' : 'continue';
  });
  return summary;
}
