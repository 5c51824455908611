/**
 * The shape kafkajs 2.2.4 expects from a compression codec (see its built-in gzip codec):
 * `compress` receives the protocol Encoder holding the serialized records, `decompress`
 * receives one record batch's compressed payload.
 */
export interface KafkaCompressionCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** The current decompression limit, read at each call (the worker sets it once at start-up). */
export type DecompressionLimit = () => number;
