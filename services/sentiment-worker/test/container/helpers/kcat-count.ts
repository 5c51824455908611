import { runKcat } from '@sentiment/testing';

/** Messages in a topic, counted by kcat (a Kafka client that is not ours), as the acceptance test counts them. */
export async function kcatCount(bootstrap: string, topic: string): Promise<number> {
  const { stdout } = await runKcat(['-b', bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '%o\\n']);
  return stdout.toString('utf8').split('\n').filter((line) => line.length > 0).length;
}

/** Polls results and dead letters until together they reach `expected` (or the attempts run out); returns the last counts. */
export async function kcatOutcomes(
  bootstrap: string,
  topics: { output: string; dlq: string },
  expected: number,
  attempts = 120,
): Promise<{ results: number; deadLetters: number }> {
  let counts = { results: 0, deadLetters: 0 };
  for (let i = 0; i < attempts; i++) {
    counts = { results: await kcatCount(bootstrap, topics.output), deadLetters: await kcatCount(bootstrap, topics.dlq) };
    if (counts.results + counts.deadLetters >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return counts;
}
