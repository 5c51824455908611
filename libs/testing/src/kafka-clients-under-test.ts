/** The Kafka clients the worker can run on (libs/kafka's KafkaClientNames; the harness does not import the worker's libraries). */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientUnderTest = (typeof KAFKA_CLIENTS)[number];

/**
 * The clients the integration tests run the worker on: both, unless KAFKA_TEST_CLIENTS names a
 * subset (`KAFKA_TEST_CLIENTS=platformatic npm run test:int` while working on one adapter).
 */
export function kafkaClientsUnderTest(): KafkaClientUnderTest[] {
  const wanted = (process.env['KAFKA_TEST_CLIENTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return [...KAFKA_CLIENTS];
  const unknown = wanted.filter((w) => !(KAFKA_CLIENTS as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`KAFKA_TEST_CLIENTS: unknown client(s) ${unknown.join(', ')}; allowed: ${KAFKA_CLIENTS.join(', ')}`);
  return wanted as KafkaClientUnderTest[];
}
