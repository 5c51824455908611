import { ConfigError, KafkaError } from '@sentiment/errors';

/** A configured codec name is not one Kafka knows: fatal at start-up, lists the accepted names. */
export class UnknownCompressionCodecError extends ConfigError {
  readonly codecName: string;
  readonly allowed: readonly string[];

  constructor(codecName: string, allowed: readonly string[]) {
    super(`Unknown compression codec "${codecName}"; allowed: ${allowed.join(', ')}`, {
      details: { codecName, allowed },
    });
    this.codecName = codecName;
    this.allowed = allowed;
  }
}

/**
 * A codec's package could not be loaded (e.g. no prebuilt binary for this platform).
 * Raised at registration so the worker fails at start-up, not on the first compressed batch.
 */
export class CompressionCodecUnavailableError extends KafkaError {
  constructor(codec: string, packageName: string, cause: unknown) {
    super('COMPRESSION_CODEC_UNAVAILABLE', `Compression codec ${codec} unavailable: cannot load package ${packageName}`, {
      cause,
      retriable: false,
      details: { codec, packageName },
    });
  }
}

/**
 * Compressing or decompressing a record batch failed. Corrupt input does not heal on retry,
 * so it is not retriable.
 */
export class CompressionFailedError extends KafkaError {
  readonly codec: string;

  constructor(codec: string, operation: 'compress' | 'decompress', reason: string, cause?: unknown) {
    super('COMPRESSION_FAILED', `${codec} ${operation} failed: ${reason}`, {
      cause,
      retriable: false,
      details: { codec, operation },
    });
    this.codec = codec;
  }
}
