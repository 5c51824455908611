export { registerCompressionCodecs } from './register-compression-codecs';
export { kafkajsCompression } from './kafkajs-compression-types';
export type { KafkaCompressionCodec } from './kafka-compression-codec';
export { createSnappyCodec } from './snappy-codec';
export { createLz4Codec } from './lz4-codec';
export { createZstdCodec, ZSTD_DEFAULT_LEVEL } from './zstd-codec';
export { createGzipCodec } from './gzip-codec';
