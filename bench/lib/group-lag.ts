import { testKafka } from '@sentiment/testing';

export interface LagSample {
  at: number;
  /** Sum over partitions of high watermark minus committed offset (log start when nothing is committed). */
  lag: number;
  committed: number;
}

/** Total lag of a consumer group on one topic, as Kafka's own offsets say (what KEDA reads too). */
export async function groupLag(bootstrap: string, group: string, topic: string): Promise<{ lag: number; committed: number; end: number }> {
  const admin = testKafka(bootstrap, { clientId: 'bench-lag' }).admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
    const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    let lag = 0;
    let done = 0;
    let end = 0;
    for (const p of ends) {
      const c = byPartition.get(p.partition) ?? -1;
      const from = c >= 0 ? c : Number(p.low);
      lag += Math.max(0, Number(p.high) - from);
      done += Math.max(0, from - Number(p.low));
      end += Number(p.high) - Number(p.low);
    }
    return { lag, committed: done, end };
  } finally {
    await admin.disconnect();
  }
}

/** Samples the group's lag every `everyMs` until stopped. */
export class LagSampler {
  readonly samples: LagSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(bootstrap: string, group: string, topic: string, everyMs = 250) {
    this.loop = (async () => {
      while (this.running) {
        const at = Date.now();
        try {
          const { lag, committed } = await groupLag(bootstrap, group, topic);
          this.samples.push({ at, lag, committed });
        } catch {
          // A failed read is a gap in the plot, not an error of the benchmark.
        }
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - at))));
      }
    })();
  }

  async stop(): Promise<LagSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }
}
