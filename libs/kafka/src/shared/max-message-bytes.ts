/** The topic config the result size bound and the chunking follow. */
export const MAX_MESSAGE_BYTES_CONFIG = 'max.message.bytes';

/**
 * The topics' `max.message.bytes` from a describeConfigs answer, whatever the client's shape of
 * it: a value that is missing or not a positive number leaves its topic out (the caller keeps
 * its default for it).
 */
export function maxMessageBytesByTopic(resources: Iterable<{ topic: string; value: string | null | undefined }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const { topic, value } of resources) {
    const bytes = Number(value);
    if (value !== null && value !== undefined && Number.isFinite(bytes) && bytes > 0) out.set(topic, bytes);
  }
  return out;
}
