import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tweetEvalFixturesDir } from '../../scripts/lib/repo-files';
import { createTopics, produceRaw, startKafkaBroker, type KafkaBroker } from '@sentiment/testing';

export { repoRoot } from '../../scripts/lib/repo-files';

/** The 12,284 TweetEval test tweets kept in the repo as test fixtures. */
export function tweetEvalTestTexts(): string[] {
  const file = join(tweetEvalFixturesDir, 'test_text.txt');
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

export async function startBenchBroker(): Promise<KafkaBroker> {
  process.stdout.write(`starting a local Kafka broker (version ${process.env['KAFKA_VERSION'] ?? 'default'})...\n`);
  // fastStart limits the JVM's optimising compiler: fine for tests, wrong for a benchmark.
  const broker = await startKafkaBroker({ fastStart: false });
  process.stdout.write(`broker ${broker.version} on ${broker.bootstrap}\n`);
  return broker;
}

/** Fills `topic` (created with `partitions`) with `count` text events cycling through `texts`. */
export async function fillEvents(bootstrap: string, topic: string, partitions: number, texts: string[], count: number): Promise<void> {
  await createTopics(bootstrap, [{ topic, numPartitions: partitions }]);
  const messages = Array.from({ length: count }, (_, i) => {
    const call_id = `bench-${i}`;
    return { key: call_id, value: JSON.stringify({ call_id, text: texts[i % texts.length] }) };
  });
  await produceRaw(bootstrap, topic, messages);
}
