import { once } from 'node:events';
import zlib from 'node:zlib';
import { CompressionCodecs, CompressionTypes, Partitioners } from 'kafkajs';
import { testKafka } from './test-kafka-client';

/** Codecs a bomb can be written in; the payload is built by streaming, never held inflated. */
export type BombCodec = 'gzip' | 'zstd';

const TYPES: Record<BombCodec, CompressionTypes> = { gzip: CompressionTypes.GZIP, zstd: CompressionTypes.ZSTD };
const CHUNK = Buffer.alloc(1 << 20);

/** Zigzag varint, as Kafka's record format writes lengths and deltas. */
function varint(value: number): Buffer {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const bytes: number[] = [];
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/**
 * The compressed records section of a record batch whose records have values of the given sizes
 * (zero bytes): what a producer sends as a decompression bomb. Streamed through the codec, so a
 * 2 GB bomb costs a few MB here.
 */
export async function compressedBombRecords(codec: BombCodec, valueSizes: readonly number[]): Promise<Buffer> {
  const stream = codec === 'zstd' ? zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 19 } }) : zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const write = async (buf: Buffer) => {
    if (!stream.write(buf)) await once(stream, 'drain');
  };
  for (let i = 0; i < valueSizes.length; i++) {
    const size = valueSizes[i] as number;
    // attributes, timestampDelta, offsetDelta, key (null), value length, value, no headers
    const head = Buffer.concat([Buffer.from([0]), varint(0), varint(i), varint(-1), varint(size)]);
    const tail = varint(0);
    const bodyLength = head.length + size + tail.length;
    await write(Buffer.concat([varint(bodyLength), head]));
    for (let left = size; left > 0; left -= CHUNK.length) await write(left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left));
    await write(tail);
  }
  stream.end();
  await once(stream, 'end');
  return Buffer.concat(out);
}

/**
 * Produces one record batch whose compressed records are `payload` (from compressedBombRecords),
 * with `recordCount` records, to one partition, as a hostile producer would: the kafkajs codec is
 * swapped for one that returns the payload, then the previous one is put back. Resolves to the
 * offset of each record.
 */
export async function produceBombBatch(bootstrap: string, topic: string, partition: number, codec: BombCodec, payload: Buffer, recordCount: number): Promise<string[]> {
  const type = TYPES[codec];
  const producer = testKafka(bootstrap).producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  // Swapped only now, after anything that may install codecs has run.
  const codecs = CompressionCodecs as unknown as Record<number, (() => unknown) | undefined>;
  const previous = codecs[type];
  codecs[type] = () => ({ compress: async () => payload, decompress: async () => Buffer.alloc(0) });
  await producer.connect();
  try {
    const [meta] = await producer.send({ topic, acks: -1, compression: type, messages: Array.from({ length: recordCount }, () => ({ value: 'placeholder', partition })) });
    const base = BigInt(meta?.baseOffset ?? '-1');
    return Array.from({ length: recordCount }, (_, i) => (base + BigInt(i)).toString());
  } finally {
    codecs[type] = previous;
    await producer.disconnect();
  }
}
