import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { DeadLetterHeaders } from '@sentiment/events';
import { headerText, produceJson, produceRaw, readTopicToEnd, testBootstrap } from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import { callEvents } from '../reliability/helpers/call-events';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { setTopicConfig } from '../reliability/helpers/topic-config';
import { poll, readyStatus } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';
import { runDlqReplay, summaryRow } from './run-dlq-replay';

jest.setTimeout(240_000);

const DEFAULT_MAX_MESSAGE_BYTES = '1048588';
const DURING = 40;
const MALFORMED = 3;

const callIdOf = (value: Buffer | null): string => (JSON.parse(String(value)) as { call_id: string }).call_id;

describe('npm run dlq:replay', () => {
  const workers = new WorkerProcesses();
  afterAll(async () => {
    await workers.killAll();
  });

  it('when a temporary fault dead-lettered valid inputs, then a replay after the fault brings each back as exactly one result, a second replay sends nothing, and inputs that cannot succeed stay unless --force', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    const env = workerEnv(bootstrap, topics, { PRODUCE_MAX_ATTEMPTS: '2', PRODUCE_RETRY_BACKOFF_MS: '50', INSTANCE_ID: 'replay-test' });
    let worker = await workers.spawn(env);
    await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);
    const outcomes = async () => {
      const [results, deadLetters] = await Promise.all([readTopicToEnd(bootstrap, topics.output), readTopicToEnd(bootstrap, topics.dlq)]);
      return { results, deadLetters };
    };

    // The fault: the output topic is too small for any result (max.message.bytes), so valid inputs end as RESULT_TOO_LARGE.
    await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', '64');
    await produceJson(bootstrap, topics.input, callEvents(DURING, 'during'));
    await produceRaw(bootstrap, topics.input, Array.from({ length: MALFORMED }, (_, i) => ({ key: `bad-${i}`, value: `{"call_id": "bad-${i}", oops` })));
    const faulted = await poll('every input dead-lettered', async () => {
      const o = await outcomes();
      return o.deadLetters.length >= DURING + MALFORMED ? o : undefined;
    }, 120_000, 500);
    expect(faulted.results).toHaveLength(0);
    const reasons = faulted.deadLetters.map((d) => headerText(d, DeadLetterHeaders.reason));
    expect(reasons.filter((r) => r === 'RESULT_TOO_LARGE')).toHaveLength(DURING);
    expect(reasons.filter((r) => r === 'INVALID_JSON')).toHaveLength(MALFORMED);
    await setTopicConfig(bootstrap, topics.output, 'max.message.bytes', DEFAULT_MAX_MESSAGE_BYTES);
    // A running worker rereads the limit within 30 s; a new one reads it at start.
    expect(await worker.stop()).toBe(0);
    worker = await workers.spawn(env);
    await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);

    const replayEnv = { KAFKA_BROKERS: bootstrap, INPUT_TOPIC: topics.input, OUTPUT_TOPIC: topics.output, DLQ_TOPIC: topics.dlq };
    const group = `${topics.group}-replay`;

    // A dry run decides but publishes nothing and records nothing.
    const dry = await runDlqReplay(replayEnv, ['--dry-run', '--group', group]);
    expect(dry.code).toBe(0);
    expect(summaryRow(dry.stdout, 'RESULT_TOO_LARGE')).toEqual({ replayed: DURING, skipped: '-' });
    const inputsBefore = (await readTopicToEnd(bootstrap, topics.input)).length;
    expect(inputsBefore).toBe(DURING + MALFORMED);

    const started = Date.now();
    const first = await runDlqReplay(replayEnv, ['--group', group]);
    process.stdout.write(`[dlq-replay test] first replay in ${Date.now() - started} ms:\n${first.stdout}${first.stderr}`);
    expect(first.code).toBe(0);
    expect(summaryRow(first.stdout, 'RESULT_TOO_LARGE')).toEqual({ replayed: DURING, skipped: '-' });
    // Malformed inputs are not among the reasons replayed by default.
    expect(summaryRow(first.stdout, 'INVALID_JSON')).toBeUndefined();

    const healed = await poll('a result for every replayed input', async () => {
      const o = await outcomes();
      return o.results.length >= DURING ? o : undefined;
    }, 120_000, 500);
    const resultIds = healed.results.map((m) => callIdOf(m.value)).sort();
    expect(resultIds).toEqual(callEvents(DURING, 'during').map((e) => e.key as string).sort());
    // Replayed inputs: original bytes and key, provenance, none of the worker's dead-letter headers.
    const inputs = await readTopicToEnd(bootstrap, topics.input);
    const replayed = inputs.filter((m) => m.headers['x-replayed-from'] !== undefined);
    expect(replayed).toHaveLength(DURING);
    expect(new Set(replayed.map((m) => headerText(m, 'x-replayed-from'))).size).toBe(DURING);
    const letterByOffset = new Map(faulted.deadLetters.map((d) => [`${topics.dlq}/${d.partition}/${d.offset}`, d]));
    for (const m of replayed) {
      const letter = letterByOffset.get(headerText(m, 'x-replayed-from') ?? '');
      expect(letter).toBeDefined();
      expect(m.value?.equals(letter?.value as Buffer)).toBe(true);
      expect(String(m.key)).toBe(String(letter?.key));
      expect(Object.keys(m.headers).filter((h) => h.startsWith('x-dlq-') || h.startsWith('x-source-'))).toEqual([]);
    }

    // Again: everything is behind the progress groups, so nothing is sent twice.
    const second = await runDlqReplay(replayEnv, ['--group', group]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/replayed 0 dead letter/);
    expect((await readTopicToEnd(bootstrap, topics.input)).length).toBe(inputsBefore + DURING);

    // Inputs that cannot succeed are skipped unless forced; forced, they are dead-lettered again, now with provenance.
    const unforced = await runDlqReplay(replayEnv, ['--group', group, '--reason', 'INVALID_JSON']);
    expect(summaryRow(unforced.stdout, 'INVALID_JSON')).toEqual({ replayed: 0, skipped: `${MALFORMED} not-replayable` });
    const forced = await runDlqReplay(replayEnv, ['--group', `${group}-forced`, '--reason', 'INVALID_JSON', '--force']);
    expect(summaryRow(forced.stdout, 'INVALID_JSON')).toEqual({ replayed: MALFORMED, skipped: '-' });
    const again = await poll('forced inputs dead-lettered again', async () => {
      const dl = await readTopicToEnd(bootstrap, topics.dlq);
      const rereplayed = dl.filter((d) => d.headers['x-replayed-from'] !== undefined);
      return rereplayed.length >= MALFORMED ? rereplayed : undefined;
    }, 60_000, 500);
    expect(again.map((d) => headerText(d, DeadLetterHeaders.reason))).toEqual(Array(MALFORMED).fill('INVALID_JSON'));

    expect(await worker.stop()).toBe(0);
    const final = await outcomes();
    // Exactly once: one result per call, none twice.
    expect(final.results.map((m) => callIdOf(m.value)).sort()).toEqual(resultIds);
  });

  it('when the dead letters were written in transactions (exactly-once mode), then the replay reads past the commit markers and finishes', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 1);
    const worker = await workers.spawn(workerEnv(bootstrap, topics, { PROCESSING_MODE: 'exactly-once', INSTANCE_ID: 'replay-eos' }));
    await produceRaw(bootstrap, topics.input, [{ key: 'bad-0', value: '{"call_id": oops' }, { key: 'bad-1', value: 'not json' }]);
    await poll('two dead letters', async () => ((await readTopicToEnd(bootstrap, topics.dlq)).length >= 2 ? true : undefined), 60_000, 500);
    expect(await worker.stop()).toBe(0);
    const run = await runDlqReplay({ KAFKA_BROKERS: bootstrap, INPUT_TOPIC: topics.input, DLQ_TOPIC: topics.dlq }, ['--reason', 'INVALID_JSON', '--force', '--group', `${topics.group}-replay`]);
    expect(run.code).toBe(0);
    expect(summaryRow(run.stdout, 'INVALID_JSON')).toEqual({ replayed: 2, skipped: '-' });
  });

  it('when the arguments are wrong, then it exits 2 with the usage', async () => {
    const bad = await runDlqReplay({ KAFKA_BROKERS: testBootstrap() }, ['--reason', 'NOT_A_REASON']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown reason NOT_A_REASON/);
  });
});
