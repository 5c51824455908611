import { setTimeout as sleep } from 'node:timers/promises';
import { createTopics, uniqueName } from '@sentiment/testing';
import type { TestTopics } from '../../helpers/worker-harness';

/**
 * Fresh input/output/DLQ topics and group, like createTestTopics, but tolerant of a busy broker:
 * under load, kafkajs' waitForLeaders can see "does not host this topic-partition" before the
 * broker's metadata has caught up with the controller, and createTopics gives up. The topics are
 * then usually there a moment later; creating again is harmless (existing topics are kept).
 */
export async function createReliabilityTopics(bootstrap: string, partitions: number): Promise<TestTopics> {
  const topics = {
    input: uniqueName('calls.transcribed'),
    output: uniqueName('calls.sentiment'),
    dlq: uniqueName('calls.dlq'),
    group: uniqueName('sentiment-worker'),
  };
  const specs = [
    { topic: topics.input, numPartitions: partitions },
    { topic: topics.output, numPartitions: partitions },
    { topic: topics.dlq, numPartitions: 1 },
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await createTopics(bootstrap, specs);
      return topics;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(500 * attempt);
    }
  }
}
