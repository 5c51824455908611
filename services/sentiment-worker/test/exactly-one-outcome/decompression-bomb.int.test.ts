import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import {
  compressedBombRecords,
  headerText,
  kafkaClientsUnderTest,
  Ledger,
  produceBombBatch,
  produceJson,
  readTopicToEnd,
  testBootstrap,
  type BombCodec,
  type ProducedRef,
} from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { metricTotal, poll, readyStatus } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';

jest.setTimeout(300_000);

const MB = 1_000_000;
/** What the issue measured: RSS went from ~100 MB to ~1 GB with one 600 MB bomb, 2.2 GB with two. */
const PEAK_RSS_LIMIT_BYTES = 400 * 1024 * 1024;

interface Bomb {
  name: string;
  codec: BombCodec;
  valueSizes: number[];
}

const bombs: Bomb[] = [
  { name: 'one 600 MB record in zstd', codec: 'zstd', valueSizes: [600 * MB] },
  { name: 'two 1 GB records in one zstd batch (2 GB)', codec: 'zstd', valueSizes: [1_000 * MB, 1_000 * MB] },
  { name: 'one 600 MB record in gzip', codec: 'gzip', valueSizes: [600 * MB] },
];

/** Peak resident set size of a process so far (VmHWM), in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb * 1024;
}

describe.each(kafkaClientsUnderTest())('decompression bombs (%s client)', (client) => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());

  it('when batches that inflate to 600 MB and 2 GB arrive between ordinary events, then each is dead-lettered as one DECOMPRESSION_LIMIT record without being inflated, the neighbours get results, RSS stays bounded and the consumer never restarts', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 1);
    const payloads = await Promise.all(bombs.map((b) => compressedBombRecords(b.codec, b.valueSizes)));

    // neighbours, bomb, neighbours, bomb, ... all in partition 0.
    const inputs: ProducedRef[] = [];
    const bombOffsets: string[][] = [];
    for (let i = 0; i < bombs.length; i++) {
      const bomb = bombs[i] as Bomb;
      inputs.push(...(await produceJson(bootstrap, topics.input, callEvents(10, `before-${i}`).map((m) => ({ ...m, partition: 0 })))));
      const offsets = await produceBombBatch(bootstrap, topics.input, 0, bomb.codec, payloads[i] as Buffer, bomb.valueSizes.length);
      bombOffsets.push(offsets);
      inputs.push(...offsets.map((offset) => ({ topic: topics.input, partition: 0, offset })));
    }
    inputs.push(...(await produceJson(bootstrap, topics.input, callEvents(10, 'after').map((m) => ({ ...m, partition: 0 })))));
    const ordinary = inputs.length - bombOffsets.flat().length;

    const worker = await workers.spawn(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, INSTANCE_ID: `bomb-${client}` }));
    try {
      await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);
      const { results, deadLetters } = await poll('an outcome for every input', async () => {
        const [r, d] = await Promise.all([readTopicToEnd(bootstrap, topics.output), readTopicToEnd(bootstrap, topics.dlq)]);
        return r.length >= ordinary && d.length >= bombs.length ? { results: r, deadLetters: d } : undefined;
      }, 180_000, 1000);
      const peak = await peakRss(worker.child.pid as number);
      const restarts = await metricTotal(worker.url, 'sentiment_consumer_restarts_total');
      const crashes = await metricTotal(worker.url, 'sentiment_consumer_crashes_total');
      const refusedMetric = await metricTotal(worker.url, 'sentiment_refused_batches_total');
      expect(await worker.stop()).toBe(0);

      // The input topic is not read back here: that would inflate the bombs in this process.
      const ledger = new Ledger(topics.input).addInputs(inputs).addResults(results).addDeadLetters(deadLetters).report();
      reportFigures(`decompression bombs (${client})`, {
        bombs: bombs.map((b, i) => ({ name: b.name, compressedBytes: payloads[i]?.length, inflatedBytes: b.valueSizes.reduce((a, s) => a + s, 0) })),
        peakRssMB: Math.round(peak / 1024 / 1024),
        results: results.length,
        deadLetters: deadLetters.length,
        restarts,
        crashes,
        ledger: { lost: ledger.lost.length, duplicates: ledger.duplicates.length, unknown: ledger.unknown.length },
      });
      expect(ledger).toMatchObject({ ok: true });
      expect(results).toHaveLength(ordinary);
      expect(deadLetters).toHaveLength(bombs.length);
      expect(peak).toBeLessThan(PEAK_RSS_LIMIT_BYTES);
      expect(restarts).toBe(0);
      expect(crashes).toBe(0);
      expect(refusedMetric).toBe(bombs.length);
      for (let i = 0; i < bombs.length; i++) {
        const offsets = bombOffsets[i] as string[];
        const dead = deadLetters.find((m) => headerText(m, DeadLetterHeaders.sourceFirstOffset) === offsets[0]);
        expect(dead && headerText(dead, DeadLetterHeaders.reason)).toBe('DECOMPRESSION_LIMIT');
        expect(dead && headerText(dead, DeadLetterHeaders.sourceLastOffset)).toBe(offsets[offsets.length - 1]);
        expect(dead && headerText(dead, DeadLetterHeaders.sourceRecordCount)).toBe(String(offsets.length));
        expect(dead && headerText(dead, DeadLetterHeaders.sourceCodec)).toBe(bombs[i]?.codec);
        expect(dead && headerText(dead, DeadLetterHeaders.sourceTopic)).toBe(topics.input);
        // The evidence: the compressed bytes as the producer sent them.
        expect(dead?.value?.equals(payloads[i] as Buffer)).toBe(true);
      }
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
