import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { kafkaClientsUnderTest, testBootstrap } from '@sentiment/testing';
import { ledgerFigures, reportFigures, summary } from './helpers/ledger-wait';
import { restartStaticMember } from './helpers/static-restart';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(240_000);

(kafkaClientsUnderTest().includes('platformatic') ? describe : describe.skip)('static membership (KAFKA_GROUP_INSTANCE_ID; platformatic only: kafkajs has none)', () => {
  const workers = new WorkerProcesses();
  afterAll(() => workers.killAll());

  it('when a static member is restarted with the same instance id within the session timeout (SIGTERM, then SIGKILL), then it gets its partitions back in the same generation, the other member is not rebalanced, and nothing is lost', async () => {
    try {
      const { rounds } = await restartStaticMember(
        testBootstrap(),
        workers,
        // A session long enough for a restart, short enough that a member which did leave would show.
        { KAFKA_SESSION_TIMEOUT_MS: '30000', KAFKA_HEARTBEAT_INTERVAL_MS: '1000', MAX_IN_FLIGHT_BATCHES: '3' },
        ['SIGTERM', 'SIGKILL'],
      );
      const [term, kill] = rounds;
      if (!term || !kill) throw new Error('two rounds expected');
      reportFigures('static member restarted (classic)', {
        rounds: rounds.map((r) => ({ ...r, ledger: ledgerFigures(r.ledger) })),
        extraOutcomesFromSigkill: ledgerFigures(kill.ledger).extraOutcomes - ledgerFigures(term.ledger).extraOutcomes,
      });
      for (const round of rounds) {
        expect({ kind: round.kind, after: round.after }).toEqual({ kind: round.kind, after: round.before });
        // The other member heard of no rebalance: no join, the same partitions.
        expect({ kind: round.kind, otherJoins: round.otherJoins }).toEqual({ kind: round.kind, otherJoins: [] });
        expect(summary(round.ledger)).toMatchObject({ lost: 0, unknown: 0 });
      }
      // The restarted member was handed the generation it left, the one the other member is in.
      for (const round of rounds) {
        expect({ kind: round.kind, generation: round.rejoinedAs?.generationId }).toEqual({ kind: round.kind, generation: round.otherGeneration });
      }
      expect(term.otherGeneration).toBeDefined();
      expect(kill.otherGeneration).toBe(term.otherGeneration);
      // A graceful stop commits what it finished: nothing is written twice.
      expect(summary(term.ledger)).toMatchObject({ duplicatedInputs: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
