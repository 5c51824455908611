import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { kafkaClientsUnderTest, produceJson } from '@sentiment/testing';
import { callEvents } from '../reliability/helpers/call-events';
import { reportFigures } from '../reliability/helpers/ledger-wait';
import { assignedPartitions, metricTotal, poll, readyStatus } from '../reliability/helpers/worker-probes';
import { ClusterFixture, PARTITIONS } from './helpers/cluster-fixture';
import { lagSeries } from './helpers/lag-metric';
import { silentStalls } from './helpers/probe-timeline';
import { busiestPartition, gaps, longestGap, partitionEnd, ResultWatcher, type ResultRecord } from './helpers/result-timeline';
import { expectFailoverTruthful, finishScenario, startScenario } from './helpers/scenario';

jest.setTimeout(300_000);

/** How long a killed node stays down before it is started again. */
const DOWN_MS = 10_000;

/**
 * A worker that delivers nothing for this long while inputs keep coming must have said "not ready"
 * after STALL_GRACE_MS (the worker flags a send unacknowledged for 5 s; probes are sampled every 250 ms).
 */
const STALL_MS = 10_000;
const STALL_GRACE_MS = 7_000;

const ALL = Array.from({ length: PARTITIONS }, (_, i) => i);

/** First result at or after `from` that matches, as ms after `from` (undefined: none). */
function firstResultAfter(results: readonly ResultRecord[], from: number, match: (r: ResultRecord) => boolean): number | undefined {
  const times = results.filter((r) => r.at >= from && match(r)).map((r) => r.at);
  return times.length > 0 ? Math.min(...times) - from : undefined;
}

describe('worker on a 3-node Kafka cluster (RF 3, min.insync.replicas 2)', () => {
  const fixture = new ClusterFixture();

  beforeAll(async () => {
    await fixture.start();
  }, 300_000);

  afterEach(async () => {
    await fixture.heal();
  }, 240_000);

  afterAll(async () => {
    await fixture.destroy();
  }, 120_000);

  // Every scenario on each Kafka client the worker supports (KAFKA_TEST_CLIENTS narrows), one cluster for all.
  describe.each(kafkaClientsUnderTest())('on the %s client', (client) => {

    it('when the leader of the busiest input partition is SIGKILLed mid-stream and restarted 10 s later, then another replica serves it, nothing is lost and the probes tell the truth', async () => {
      const s = await startScenario(fixture, `input-leader-${client}`, { KAFKA_CLIENT: client });
      const { cluster } = fixture;
      try {
        // A burst of longer events into one partition: it is the busiest, and the worker is mid-way through it.
        const hot = 0;
        await produceJson(cluster.bootstrap, s.topics.input, callEvents(3000, 'hot', 0, 4).map((m) => ({ ...m, partition: hot })));
        const busiest = await busiestPartition(cluster.bootstrap, s.topics.input);
        expect(busiest.partition).toBe(hot);
        const processedBefore = await metricTotal(s.worker.url, 'sentiment_messages_processed_total');
        await poll('the worker mid-way through the burst', async () => ((await metricTotal(s.worker.url, 'sentiment_messages_processed_total')) >= processedBefore + 500 ? true : undefined), 60_000, 50);
        const leader = await cluster.partitionLeader(s.topics.input, hot);

        const killedAt = Date.now();
        await cluster.killNode(leader);
        // Restarted 10 s after the kill whether or not a new leader was elected by then.
        const election = poll('a new leader of the hot partition', async () => {
          const l = await cluster.partitionLeader(s.topics.input, hot);
          return l >= 0 && l !== leader ? { newLeader: l, at: Date.now() } : undefined;
        }, DOWN_MS + 60_000, 100).catch(() => undefined);
        await sleep(DOWN_MS);
        const restartAt = Date.now();
        await cluster.startNode(leader);
        const upAt = Date.now();
        const elected = await election;
        const newLeader = elected?.newLeader;
        const isrFullMs = await cluster.waitForFullIsr([s.topics.input, s.topics.output, s.topics.dlq]);
        const outcome = await finishScenario(fixture, s);

        const hotResultsAfterKill = firstResultAfter(outcome.results, killedAt, (r) => r.source?.partition === hot);
        const stalls = silentStalls(gaps(outcome.results, killedAt - 1000, upAt + isrFullMs), s.timeline.samples, { minGapMs: STALL_MS, graceMs: STALL_GRACE_MS });
        reportFigures(`cluster (${client}): input partition leader SIGKILLed`, {
          silentStalls: stalls.map((x) => x.text),
          ledger: outcome.ledger.text,
          killedNode: leader,
          newLeader,
          producedStreamed: outcome.produced,
          ...outcome.figures,
          worker: outcome.workerEvents,
          ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
          leaderElectedAfterKillMs: elected ? elected.at - killedAt : 'not before the restart',
          hotPartitionResultsResumedAfterKillMs: hotResultsAfterKill,
          longestResultGapMs: longestGap(outcome.results, killedAt - 1000, upAt + isrFullMs).ms,
          nodeDownMs: restartAt - killedAt,
          nodeStartMs: upAt - restartAt,
          fullIsrAfterStartMs: isrFullMs,
          probes: s.timeline.summary(killedAt, upAt + isrFullMs + 5000),
        });
        expect(hotResultsAfterKill).toBeDefined();
        expectFailoverTruthful(outcome, stalls);
      } catch (err) {
        fixture.dumpLogs(expect.getState().currentTestName ?? 'test');
        throw err;
      } finally {
        await s.stream.stop();
        await s.timeline.stop();
      }
    });

    it('when the leader of an output partition is SIGKILLed while results are produced, then no acknowledged result is lost; with fewer in-sync replicas than required the worker says it is not ready', async () => {
      const s = await startScenario(fixture, `output-leader-${client}`, { KAFKA_CLIENT: client });
      const { cluster } = fixture;
      const watcher = await ResultWatcher.start(cluster.bootstrap, s.topics.output);
      try {
        const target = 0;
        const leader = await cluster.partitionLeader(s.topics.output, target);
        const endAtKill = await partitionEnd(cluster.bootstrap, s.topics.output, target);
        const killedAt = Date.now();
        await cluster.killNode(leader);
        const newLeader = await poll('a new leader of the output partition', async () => {
          const l = await cluster.partitionLeader(s.topics.output, target);
          return l >= 0 && l !== leader ? l : undefined;
        }, 60_000, 100);
        const electedAt = Date.now();
        const readyAgain = await poll('/ready 200 with one node down', async () => ((await readyStatus(s.worker.url)) === 200 ? Date.now() : undefined), 120_000, 250);
        const writableAgain = await poll('results on the partition again, from its new leader', async () =>
          (await partitionEnd(cluster.runningBootstrap(), s.topics.output, target)) > endAtKill ? Date.now() : undefined, 120_000, 250);

        // Two replicas in sync is min.insync.replicas. Demand three: every acks=all write is refused
        // (NOT_ENOUGH_REPLICAS) while kafkajs stays connected. The worker cannot deliver: not ready.
        const lagBefore = (await lagSeries(s.worker.url)).total;
        await fixture.setTopicConfig(s.topics.output, 'min.insync.replicas', '3');
        const blockedAt = Date.now();
        const notReady = await poll('/ready 503 naming the producer', async () => {
          const sample = s.timeline.first(blockedAt, (x) => x.ready === 503 && x.readyReasons.some((r) => r.startsWith('kafka producer cannot deliver')));
          return sample;
        }, 60_000, 250);
        const degraded = await poll('/health degraded naming the producer', async () =>
          s.timeline.first(blockedAt, (x) => x.health === 200 && x.healthStatus === 'degraded' && x.healthReasons.some((r) => r.startsWith('kafka producer cannot deliver'))), 30_000, 250);
        // Nothing is committed meanwhile: the lag the worker exports keeps growing with the stream.
        const lagWhileBlocked = await poll('the exported lag to grow while nothing can be produced', async () => {
          const { total } = await lagSeries(s.worker.url);
          return total >= lagBefore + 200 ? total : undefined;
        }, 60_000, 500);
        const processedWhileBlocked = await metricTotal(s.worker.url, 'sentiment_messages_processed_total');
        await sleep(2000);
        expect(await metricTotal(s.worker.url, 'sentiment_messages_processed_total')).toBe(processedWhileBlocked);
        const restoredAt = Date.now();
        await fixture.setTopicConfig(s.topics.output, 'min.insync.replicas', String(cluster.minInsyncReplicas));
        const readyAfterRestore = await poll('/ready 200 once two in-sync replicas suffice again', async () => ((await readyStatus(s.worker.url)) === 200 ? Date.now() : undefined), 120_000, 250);
        const readyWhileBlocked = s.timeline.between(notReady.at, restoredAt).filter((x) => x.ready === 200);

        const restartAt = Date.now();
        await cluster.startNode(leader);
        const isrFullMs = await cluster.waitForFullIsr([s.topics.input, s.topics.output, s.topics.dlq]);
        const outcome = await finishScenario(fixture, s);
        await watcher.stop();
        const vanished = watcher.missingFrom(outcome.results);

        const stalls = silentStalls(gaps(outcome.results, killedAt - 1000, writableAgain), s.timeline.samples, { minGapMs: STALL_MS, graceMs: STALL_GRACE_MS });
        reportFigures(`cluster (${client}): output partition leader SIGKILLed`, {
          silentStalls: stalls.map((x) => x.text),
          killedNode: leader,
          newLeader,
          producedStreamed: outcome.produced,
          ...outcome.figures,
          worker: outcome.workerEvents,
          ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
          resultsSeenByWatcher: watcher.seen.size,
          watchedResultsMissingOrChanged: vanished.length,
          leaderElectedAfterKillMs: electedAt - killedAt,
          targetPartitionWritableAgainAfterKillMs: writableAgain - killedAt,
          longestResultGapMs: longestGap(outcome.results, killedAt - 1000, writableAgain).ms,
          readyAgainAfterKillMs: readyAgain - killedAt,
          probesAfterKill: s.timeline.summary(killedAt, readyAgain + 5000),
          minIsr3: {
            notReadyAfterMs: notReady.at - blockedAt,
            degradedAfterMs: degraded.at - blockedAt,
            exportedLagBefore: lagBefore,
            exportedLagWhileBlocked: lagWhileBlocked,
            readyAfterRestoreMs: readyAfterRestore - restoredAt,
          },
          fullIsrAfterRestartMs: isrFullMs,
          nodeDownMs: restartAt - killedAt,
        });
        expect(newLeader).not.toBe(leader);
        expect(vanished).toEqual([]);
        expect(watcher.seen.size).toBeGreaterThan(0);
        expect(readyWhileBlocked).toEqual([]);
        expectFailoverTruthful(outcome, stalls);
      } catch (err) {
        fixture.dumpLogs(expect.getState().currentTestName ?? 'test');
        throw err;
      } finally {
        await watcher.stop();
        await s.stream.stop();
        await s.timeline.stop();
        await fixture.setTopicConfig(s.topics.output, 'min.insync.replicas', String(cluster.minInsyncReplicas)).catch(() => undefined);
      }
    });

    it('when all three nodes are restarted one at a time under load, then the worker rides every restart, nothing is lost and the probes tell the truth', async () => {
      const s = await startScenario(fixture, `rolling-${client}`, { KAFKA_CLIENT: client });
      const { cluster } = fixture;
      const restarts: Array<Record<string, number>> = [];
      try {
        const windows: Array<{ from: number; to: number }> = [];
        for (const node of cluster.nodes) {
          const stopAt = Date.now();
          await cluster.stopNode(node.nodeId);
          const stoppedAt = Date.now();
          await cluster.startNode(node.nodeId);
          const startedAt = Date.now();
          // As an operator would: the next node only once nothing is under-replicated.
          const isrFullMs = await cluster.waitForFullIsr();
          windows.push({ from: stopAt, to: startedAt + isrFullMs });
          restarts.push({ node: node.nodeId, stopMs: stoppedAt - stopAt, startMs: startedAt - stoppedAt, fullIsrAfterStartMs: isrFullMs });
        }
        const outcome = await finishScenario(fixture, s);
        windows.forEach((w, i) => Object.assign(restarts[i] as object, { longestResultGapMs: longestGap(outcome.results, w.from, w.to).ms, notReadyMs: s.timeline.summary(w.from, w.to).notReadyMs }));
        const stalls = windows.flatMap((w) => silentStalls(gaps(outcome.results, w.from, w.to), s.timeline.samples, { minGapMs: STALL_MS, graceMs: STALL_GRACE_MS }));
        reportFigures(`cluster (${client}): rolling restart`, {
          silentStalls: stalls.map((x) => x.text),
          producedStreamed: outcome.produced,
          ...outcome.figures,
          worker: outcome.workerEvents,
          ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
          restarts,
          probes: s.timeline.summary(windows[0]?.from ?? 0, (windows.at(-1)?.to ?? 0) + 5000),
        });
        expectFailoverTruthful(outcome, stalls);
      } catch (err) {
        fixture.dumpLogs(expect.getState().currentTestName ?? 'test');
        throw err;
      } finally {
        await s.stream.stop();
        await s.timeline.stop();
      }
    });

    it('when the active controller is SIGKILLed, then the two remaining voters elect another, its partitions move, nothing is lost and the probes tell the truth', async () => {
      const s = await startScenario(fixture, `controller-${client}`, { KAFKA_CLIENT: client });
      const { cluster } = fixture;
      try {
        const before = await poll('the active controller', async () => cluster.controller(), 30_000);
        const killedAt = Date.now();
        await cluster.killNode(before.leaderId);
        const after = await poll('a new active controller', async () => {
          const now = cluster.controller();
          return now && now.leaderId !== before.leaderId ? now : undefined;
        }, 60_000, 100);
        const electedAt = Date.now();
        // Restarted 10 s after the kill whether or not its partitions have moved by then.
        const moved = poll('no partition led by the dead node', async () => {
          const states = [...(await cluster.partitions(s.topics.input)), ...(await cluster.partitions(s.topics.output))];
          return states.every((p) => p.leader >= 0 && p.leader !== before.leaderId) ? Date.now() : undefined;
        }, DOWN_MS + 60_000, 100).catch(() => undefined);
        await sleep(Math.max(0, killedAt + DOWN_MS - Date.now()));
        const restartAt = Date.now();
        await cluster.startNode(before.leaderId);
        const upAt = Date.now();
        const leadersMoved = await moved;
        const isrFullMs = await cluster.waitForFullIsr();
        const outcome = await finishScenario(fixture, s);
        const stalls = silentStalls(gaps(outcome.results, killedAt - 1000, upAt + isrFullMs), s.timeline.samples, { minGapMs: STALL_MS, graceMs: STALL_GRACE_MS });
        reportFigures(`cluster (${client}): active controller SIGKILLed`, {
          silentStalls: stalls.map((x) => x.text),
          killedController: before.leaderId,
          newController: after.leaderId,
          epochs: [before.leaderEpoch, after.leaderEpoch],
          producedStreamed: outcome.produced,
          ...outcome.figures,
          worker: outcome.workerEvents,
          ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
          controllerElectedAfterKillMs: electedAt - killedAt,
          leadersMovedAfterKillMs: leadersMoved === undefined ? 'not before the restart' : leadersMoved - killedAt,
          longestResultGapMs: longestGap(outcome.results, killedAt - 1000, upAt + isrFullMs).ms,
          nodeDownMs: restartAt - killedAt,
          nodeStartMs: upAt - restartAt,
          fullIsrAfterStartMs: isrFullMs,
          probes: s.timeline.summary(killedAt, upAt + isrFullMs + 5000),
        });
        expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
        expectFailoverTruthful(outcome, stalls);
      } catch (err) {
        fixture.dumpLogs(expect.getState().currentTestName ?? 'test');
        throw err;
      } finally {
        await s.stream.stop();
        await s.timeline.stop();
      }
    });

    it('when a second worker joins and leaves, then each exports the lag of exactly its own partitions, and it matches the group offsets', async () => {
      const s = await startScenario(fixture, `lag-a-${client}`, { KAFKA_CLIENT: client });
      try {
        const a = s.worker;
        const aAlone = await poll('worker A to export all partitions', async () => {
          const series = await lagSeries(a.url);
          return JSON.stringify(series.partitions) === JSON.stringify(ALL) ? series : undefined;
        }, 30_000, 500);
        const b = await fixture.spawnWorker(s.topics, { INSTANCE_ID: `lag-b-${client}`, KAFKA_CLIENT: client });
        const shared = await poll('A and B to share the partitions, each exporting only its own', async () => {
          const [ownA, ownB, lagA, lagB] = await Promise.all([assignedPartitions(a.url, s.topics.input), assignedPartitions(b.url, s.topics.input), lagSeries(a.url), lagSeries(b.url)]);
          const disjoint = ownA.length > 0 && ownB.length > 0 && JSON.stringify([...ownA, ...ownB].sort()) === JSON.stringify(ALL);
          return disjoint && JSON.stringify(lagA.partitions) === JSON.stringify(ownA) && JSON.stringify(lagB.partitions) === JSON.stringify(ownB) ? { ownA, ownB } : undefined;
        }, 90_000, 500);
        expect(await b.stop()).toBe(0);
        const aAgain = await poll('A to export every partition again', async () => {
          const series = await lagSeries(a.url);
          return JSON.stringify(series.partitions) === JSON.stringify(ALL) ? series : undefined;
        }, 90_000, 500);
        const outcome = await finishScenario(fixture, s);
        // Drained and committed: what A exports must agree with the group's offsets (0 everywhere).
        const drained = await poll('the exported lag to reach 0', async () => {
          const series = await lagSeries(a.url);
          return series.total === 0 ? series : undefined;
        }, 30_000, 500);
        reportFigures(`cluster (${client}): lag per partition`, { aAlone: aAlone.partitions, shared, aAgain: aAgain.partitions, drained: drained.partitions, ...outcome.figures });
        expect(drained.partitions).toEqual(ALL);
        expect(outcome.ledger).toMatchObject({ lost: 0, unknown: 0, duplicatedInputs: 0 });
      } catch (err) {
        fixture.dumpLogs(expect.getState().currentTestName ?? 'test');
        throw err;
      } finally {
        await s.stream.stop();
        await s.timeline.stop();
      }
    });
  });
});
