import { assertClientPatched } from '../shared/client-patches';

/**
 * patches/kafkajs+2.2.4.patch: the aborted-transaction filter with the Java client's semantics,
 * refused (bomb) batches as placeholders, the per-fetch decompression budget, linear header
 * decoding, and produce retries that resend every unacknowledged partition. Paths are relative to kafkajs' main module (index.js).
 */
export function assertKafkajsPatched(): void {
  assertClientPatched('kafkajs', 'patches/kafkajs+2.2.4.patch', [
    'src/consumer/filterAbortedMessages.js',
    'src/protocol/recordBatch/v0/decoder.js',
    'src/protocol/requests/fetch/v4/decodeMessages.js',
    'src/protocol/recordBatch/record/v0/decoder.js',
    'src/producer/sendMessages.js',
  ]);
}
