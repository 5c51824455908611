import { consumerGroupTimingProperties, NEWEST_VERIFIED_KAFKA_VERSION, startKafkaBroker, type KafkaBroker } from '@sentiment/testing';

/** KIP-848 sessions in these tests: a member that dies is noticed within seconds (the broker's default is 45 s). */
export const CONSUMER_GROUP_SESSION_TIMEOUT_MS = 10_000;

/** A Kafka 4.x broker of its own (the shared test broker may be 3.9, which has no KIP-848). */
export function startKafka4Broker(): Promise<KafkaBroker> {
  return startKafkaBroker({
    version: NEWEST_VERIFIED_KAFKA_VERSION,
    properties: consumerGroupTimingProperties({ sessionTimeoutMs: CONSUMER_GROUP_SESSION_TIMEOUT_MS, heartbeatIntervalMs: 1_000 }),
  });
}
