import { errorMessage } from '@sentiment/errors';
import { CompressionFailedError } from '../../shared/codec-errors';
import { BatchDecompressionRefusedError } from '../../shared/decompression-limit';

/** Runs one codec operation, turning whatever the underlying package throws into CompressionFailedError. */
export async function withCodecFailure<T>(codec: string, operation: 'compress' | 'decompress', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CompressionFailedError || err instanceof BatchDecompressionRefusedError) throw err;
    throw new CompressionFailedError(codec, operation, errorMessage(err), err);
  }
}
