import { assertClientPatched } from '../shared/client-patches';

/**
 * patches/@platformatic+kafka+2.12.1.patch: the aborted-transaction filter with the Java client's
 * semantics, decompression through our bounded hooks with refused batches as placeholders, the
 * per-fetch decompression budget, the KIP-848 member epoch a fetch was sent under in each message's
 * metadata (for TxnOffsetCommit), a static member that does not leave its group when it closes,
 * committed offsets fetched with require_stable under read_committed (retried while a transaction holds
 * them), and a KIP-848 revocation acknowledged only once `beforeRevocationAck` has settled. Paths are relative to the package's main module (dist/index.js).
 */
export function assertPlatformaticPatched(): void {
  assertClientPatched('@platformatic/kafka', 'patches/@platformatic+kafka+2.12.1.patch', ['clients/consumer/consumer.js', 'clients/consumer/options.js', 'clients/consumer/messages-stream.js', 'protocol/records.js']);
}
