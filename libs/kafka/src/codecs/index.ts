export { registerCompressionCodecs } from './register-compression-codecs';
export { CompressionNames, type CompressionName, compressionFromName, compressionName, isCompressionName } from './compression-name';
export { UnknownCompressionCodecError, CompressionCodecUnavailableError, CompressionFailedError } from './codec-errors';
export type { KafkaCompressionCodec } from './kafka-compression-codec';
export { createSnappyCodec } from './snappy-codec';
export { createLz4Codec } from './lz4-codec';
export { createZstdCodec, ZSTD_DEFAULT_LEVEL } from './zstd-codec';
