export interface LagSeries {
  /** Partitions with a `sentiment_consumer_lag` series on this worker, sorted. */
  partitions: number[];
  /** Sum over them. */
  total: number;
  byPartition: Record<number, number>;
}

/** The worker's own `sentiment_consumer_lag` series, from its /metrics. */
export async function lagSeries(url: string): Promise<LagSeries> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const byPartition: Record<number, number> = {};
  for (const line of text.split('\n')) {
    const match = /^sentiment_consumer_lag\{([^}]*)\} ([0-9.eE+-]+)$/.exec(line);
    if (!match) continue;
    const partition = /partition="(\d+)"/.exec(match[1] as string)?.[1];
    if (partition !== undefined) byPartition[Number(partition)] = Number(match[2]);
  }
  const partitions = Object.keys(byPartition).map(Number).sort((a, b) => a - b);
  return { partitions, total: Object.values(byPartition).reduce((a, b) => a + b, 0), byPartition };
}
