import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type BrokerBehindFaultProxy, KafkaApiKeys, kafkaClientsUnderTest, type KafkaFaultProxy, ledgerFromTopics, produceJson, startBrokerBehindFaultProxy } from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures, summary } from '../reliability/helpers/ledger-wait';
import { createReliabilityTopics } from '../reliability/helpers/test-topics';
import { poll, readyStatus } from '../reliability/helpers/worker-probes';
import { WorkerProcesses } from '../reliability/helpers/worker-processes';

jest.setTimeout(300_000);

// A broker of its own behind a Kafka-aware proxy (every connection, the transaction
// coordinator's included, goes through it): the proxy lets a request reach the broker and take
// effect, then closes the client's connection instead of answering. The worker cannot tell
// whether its write landed, which is exactly when a retry must not write it again.

let proxied: BrokerBehindFaultProxy;
let proxy: KafkaFaultProxy;
let bootstrap: string;

beforeAll(async () => {
  proxied = await startBrokerBehindFaultProxy();
  ({ proxy, bootstrap } = proxied);
}, 180_000);

afterAll(async () => {
  await proxied?.close();
});

const EVENTS = 1500;
const FAULTS = 3;

describe.each(kafkaClientsUnderTest())('retries after a lost answer (%s client)', (client) => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());

  it('when the connection breaks after EndTxn reached the coordinator, then the transaction is not written again and a read_committed reader sees each result once', async () => {
    const topics = await createReliabilityTopics(bootstrap, 3);
    const worker = await workers.spawn(
      workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, PROCESSING_MODE: 'exactly-once', INSTANCE_ID: `endtxn-${client}`, KAFKA_MAX_BYTES_PER_PARTITION: '8192', LOG_LEVEL: 'info' }),
    );
    try {
      await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 90_000);
      const faults = proxy.dropResponseTo(KafkaApiKeys.EndTxn, FAULTS);
      await produceJson(bootstrap, topics.input, callEvents(EVENTS, `endtxn-${client}`));
      await faults;
      const report = await poll('every input to have its committed outcome', async () => {
        const r = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_committed' });
        return r.inputs === EVENTS && r.lost.length === 0 ? r : undefined;
      }, 180_000, 1000);
      const uncommitted = await ledgerFromTopics(bootstrap, topics, { isolation: 'read_uncommitted' });
      expect(await worker.stop()).toBe(0);
      reportFigures(`EndTxn answer lost ${FAULTS} times (${client})`, { droppedEndTxn: proxy.dropped.get(KafkaApiKeys.EndTxn), readCommitted: summary(report), readUncommitted: summary(uncommitted) });
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
      // Nothing was written twice, not even into an aborted transaction.
      expect(summary(uncommitted)).toMatchObject({ lost: 0, duplicatedInputs: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });

  it('when the connection breaks after a produce request reached the broker, then the idempotent producer retries it without writing a duplicate', async () => {
    const topics = await createReliabilityTopics(bootstrap, 3);
    const worker = await workers.spawn(workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, INSTANCE_ID: `produce-${client}`, KAFKA_MAX_BYTES_PER_PARTITION: '8192', LOG_LEVEL: 'info' }));
    try {
      await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 90_000);
      const faults = proxy.dropResponseTo(KafkaApiKeys.Produce, FAULTS);
      await produceJson(bootstrap, topics.input, callEvents(EVENTS, `produce-${client}`));
      await faults;
      const report = await poll('every input to have its outcome', async () => {
        const r = await ledgerFromTopics(bootstrap, topics);
        return r.inputs === EVENTS && r.lost.length === 0 ? r : undefined;
      }, 180_000, 1000);
      expect(await worker.stop()).toBe(0);
      reportFigures(`Produce answer lost ${FAULTS} times (${client})`, { droppedProduce: proxy.dropped.get(KafkaApiKeys.Produce), ...summary(report) });
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
