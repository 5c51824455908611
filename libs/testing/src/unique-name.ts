import { randomBytes } from 'node:crypto';

/**
 * A topic or group name no other test (or earlier run against the same broker) uses:
 * `<prefix>-<time base36>-<random hex>`, legal as a Kafka topic name.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 180);
  return `${clean}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
