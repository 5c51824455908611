import { randomBytes } from 'node:crypto';

/**
 * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid format).
 * Like Kafka's Uuid.randomUuid, avoid a leading '-', which command-line parsers take for an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
