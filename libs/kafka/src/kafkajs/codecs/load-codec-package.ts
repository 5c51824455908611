import { CompressionCodecUnavailableError } from '../../shared/codec-errors';

/** Runs a codec package's `require`, turning a load failure (e.g. no binary for this platform) into a typed error. */
export function loadCodecPackage<T>(codec: string, packageName: string, requireIt: () => T): T {
  try {
    return requireIt();
  } catch (err) {
    throw new CompressionCodecUnavailableError(codec, packageName, err);
  }
}
