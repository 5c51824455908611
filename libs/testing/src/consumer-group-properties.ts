/**
 * Broker settings for KIP-848 consumer groups (group.consumer.*). Under the consumer protocol the
 * session timeout and the heartbeat interval are the broker's, not the client's: its defaults are
 * 45 s and 5 s, which are also its minimums, so a test or benchmark that wants a dead member noticed
 * sooner (or at the same time as a classic member's KAFKA_SESSION_TIMEOUT_MS) lowers the minimums too.
 * The protocol itself is enabled by default from Kafka 4.0 (group.coordinator.rebalance.protocols).
 */
export function consumerGroupTimingProperties(options: { sessionTimeoutMs: number; heartbeatIntervalMs: number }): Record<string, string> {
  const { sessionTimeoutMs, heartbeatIntervalMs } = options;
  if (heartbeatIntervalMs >= sessionTimeoutMs) throw new RangeError('the heartbeat interval must be shorter than the session timeout');
  return {
    'group.consumer.min.session.timeout.ms': String(Math.min(6_000, sessionTimeoutMs)),
    'group.consumer.session.timeout.ms': String(sessionTimeoutMs),
    'group.consumer.min.heartbeat.interval.ms': String(Math.min(1_000, heartbeatIntervalMs)),
    'group.consumer.heartbeat.interval.ms': String(heartbeatIntervalMs),
  };
}
