// npm run bench:codecs — throughput of each Kafka compression codec as kafkajs calls it
// (one awaited compress/decompress at a time, the way a consumer decodes its record batches).
// Figures are MB/s of *uncompressed* data; the machine is shared, so expect noise.
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { type KafkaCompressionCodec, registerCompressionCodecs } from '../libs/kafka/src/kafkajs/codecs';

const CODECS = [
  ['gzip', CompressionTypes.GZIP],
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
] as const;

/** ~`size` bytes of JSON lines shaped like transcribed-call events (keys repeat, ids and texts vary). */
function jsonLikeData(size: number): Buffer {
  const words = ['great', 'service', 'terrible', 'wait', 'thanks', 'refund', 'agent', 'helpful', 'call', 'again', 'billing', 'cancel'];
  // mulberry32: deterministic, and without the short low-bit cycles of a plain LCG that would flatter zstd.
  let seed = 42;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const text = Array.from({ length: 8 + (next() % 20) }, () => words[next() % words.length]).join(' ');
    const line = `${JSON.stringify({ call_id: `c-${next().toString(36)}`, seq: i, ts: 1_700_000_000_000 + next(), speaker: next() % 2 ? 'agent' : 'customer', text })}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join(''), 'utf8').subarray(0, size);
}

/** Runs `op` repeatedly for at least `minMs` after a warm-up; returns mean milliseconds per call. */
async function timeIt(op: () => Promise<unknown>, minMs: number): Promise<number> {
  for (let i = 0; i < 5; i++) await op();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    await op();
    calls++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return elapsedMs / calls;
}

async function main(): Promise<void> {
  registerCompressionCodecs();
  const table = CompressionCodecs as unknown as Record<number, () => KafkaCompressionCodec>;
  const cases = [
    { label: '1 MiB JSON lines', data: jsonLikeData(1024 * 1024), minMs: 1500 },
    { label: '4 KiB JSON lines (small batch)', data: jsonLikeData(4 * 1024), minMs: 500 },
  ];
  console.log(`node ${process.version}, ${process.arch}; MB/s = uncompressed MB per second, one call at a time`);
  for (const { label, data, minMs } of cases) {
    console.log(`\n${label} (${data.length} bytes)`);
    console.log('codec    ratio   compress MB/s  decompress MB/s  compress µs/call  decompress µs/call');
    for (const [name, type] of CODECS) {
      const factory = table[type];
      if (!factory) throw new Error(`no ${name} codec`);
      const codec = factory();
      const compressed = await codec.compress({ buffer: data });
      const roundTrip = await codec.decompress(compressed);
      if (!roundTrip.equals(data)) throw new Error(`${name} round trip changed the data`);
      const compressMs = await timeIt(() => codec.compress({ buffer: data }), minMs);
      const decompressMs = await timeIt(() => codec.decompress(compressed), minMs);
      const mbps = (ms: number): string => (data.length / 1e6 / (ms / 1000)).toFixed(0).padStart(13);
      console.log(
        `${name.padEnd(8)} ${(data.length / compressed.length).toFixed(2).padStart(5)}x ${mbps(compressMs)}  ${mbps(decompressMs).padStart(15)}  ${(compressMs * 1000).toFixed(0).padStart(16)}  ${(decompressMs * 1000).toFixed(0).padStart(18)}`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
