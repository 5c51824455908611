import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { CallTranscribedEvent } from '@sentiment/events';
import { RECORD_BATCH_OVERHEAD_BYTES } from '@sentiment/kafka';
import { analyzeTranscripts } from '@sentiment/scoring';
import { resultRecord, type ResultRecordContext } from '../../src/batch/result-record';
import { vaderAnalysisOptions } from '../../src/vader-analysis';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..');
const calls = readFileSync(join(repoRoot, 'samples', 'calls.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as CallTranscribedEvent);

const context = (scoringMs: number, outputLimit: number): ResultRecordContext => ({
  topic: 'calls.transcribed',
  partition: 0,
  receivedAt: 1_764_000_000_000,
  batchSize: calls.length,
  scoringMs,
  workerVersion: '0.0.0-test',
  instanceId: 'i',
  outputTopic: 'calls.sentiment',
  outputLimit,
  recordOverheadBytes: RECORD_BATCH_OVERHEAD_BYTES,
});

describe('resultRecord', () => {
  it('when the same call is bounded with a fast and a slow scoring time at every limit from 400 to 4,000 bytes, then both keep the same parts', async () => {
    const analyses = await analyzeTranscripts(calls, vaderAnalysisOptions(0.05));
    let truncated = 0;
    let refused = 0;
    for (let limit = 400; limit <= 4_000; limit += 7) {
      calls.forEach((event, i) => {
        const analysis = analyses[i];
        if (!analysis?.ok) throw new Error(`sample ${event.call_id} did not analyse`);
        const at = { offset: String(i), timestamp: '1763999990000' };
        const fast = resultRecord(event, analysis.analysis, at, undefined, context(0, limit));
        const slow = resultRecord(event, analysis.analysis, at, undefined, context(12_345_678.901, limit));
        const shape = (r: typeof fast) => (r.ok ? { ok: true, truncated: r.truncated, json: r.json.replace(/"scoring_ms":[0-9.]+/, '') } : r);
        expect(shape(slow)).toEqual(shape(fast));
        if (fast.ok && fast.truncated) truncated++;
        if (!fast.ok) refused++;
      });
    }
    // The sweep crosses every boundary: some results truncated, some refused, the rest whole.
    expect(truncated).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
