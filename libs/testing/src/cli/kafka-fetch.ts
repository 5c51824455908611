// npm run kafka:fetch [-- <version> ...]: puts Apache Kafka's jars into .cache/kafka/<version>/libs.
import { ensureKafkaJars, kafkaLibsDir } from '../kafka-jars';
import { kafkaVersionFromEnv } from '../kafka-versions';

async function main(): Promise<void> {
  const versions = process.argv.slice(2);
  if (versions.length === 0) versions.push(kafkaVersionFromEnv());
  for (const version of versions) {
    await ensureKafkaJars(version);
    console.log(`Kafka ${version}: ${kafkaLibsDir(version)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
