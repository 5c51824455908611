/** Broker version used when KAFKA_VERSION is not set: the last 3.x line, still the most widely deployed. */
export const DEFAULT_KAFKA_VERSION = '3.9.1';

/** Newest 4.x release verified with this harness (scripts/kafka-versions.sh runs the integration tests on it). */
export const NEWEST_VERIFIED_KAFKA_VERSION = '4.4.0';

export function kafkaMajor(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isInteger(major)) throw new TypeError(`not a Kafka version: ${version}`);
  return major;
}

/** Kafka 4 moved from log4j 1 (reload4j) to log4j 2 (KIP-653); the jars and the config format differ. */
export function kafkaLogging(version: string): 'log4j1' | 'log4j2' {
  return kafkaMajor(version) >= 4 ? 'log4j2' : 'log4j1';
}

/** The console producer moved from core (Scala) to the tools module in 4.0. */
export function consoleProducerClass(version: string): string {
  return kafkaMajor(version) >= 4 ? 'org.apache.kafka.tools.ConsoleProducer' : 'kafka.tools.ConsoleProducer';
}

/** Already in the tools module since 3.7. */
export function consoleConsumerClass(_version: string): string {
  return 'org.apache.kafka.tools.consumer.ConsoleConsumer';
}

/**
 * Flag that passes a formatter property to the console consumer: 4.x deprecates `--property`
 * for `--formatter-property` and prints the deprecation notice on stdout, among the data lines.
 */
export function consoleConsumerPropertyFlag(version: string): string {
  return kafkaMajor(version) >= 4 ? '--formatter-property' : '--property';
}

/** The KRaft storage tool is still the Scala object in core in every supported version. */
export const STORAGE_TOOL_CLASS = 'kafka.tools.StorageTool';

export function kafkaVersionFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const v = env['KAFKA_VERSION']?.trim();
  if (!v) return DEFAULT_KAFKA_VERSION;
  // Lets scripts (npm run test:int:kafka4) name the newest verified 4.x without repeating its number.
  if (v === 'newest') return NEWEST_VERIFIED_KAFKA_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(v)) throw new TypeError(`KAFKA_VERSION must look like 3.9.1 (or be 'newest'), got ${JSON.stringify(v)}`);
  return v;
}
