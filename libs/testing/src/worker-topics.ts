/** The topics and consumer group one worker runs on, as tests and benchmarks make them. */
export interface WorkerTopics {
  input: string;
  output: string;
  dlq: string;
  group: string;
}

/** The worker's settings that point it at a broker and at these topics (docs/configuration.md). */
export function workerTopicEnv(bootstrap: string, topics: WorkerTopics): Record<string, string> {
  return {
    KAFKA_BROKERS: bootstrap,
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    DLQ_TOPIC: topics.dlq,
    KAFKA_GROUP_ID: topics.group,
  };
}
