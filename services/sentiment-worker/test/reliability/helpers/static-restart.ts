import type { LedgerReport } from '@sentiment/testing';
import { workerEnv, type TestTopics } from '../../helpers/worker-harness';
import type { WorkerProcess } from '../../helpers/worker-process';
import { startInputStream } from './input-stream';
import { waitForNothingLost } from './ledger-wait';
import { createReliabilityTopics } from './test-topics';
import { assignedPartitions, poll, readyStatus } from './worker-probes';
import type { WorkerProcesses } from './worker-processes';
import { workerLogLines } from '../../helpers/worker-log-lines';

export type RestartKind = 'SIGTERM' | 'SIGKILL';

/** One "joined consumer group" line of a worker's log: a join (classic) or an assignment change (KIP-848). */
export interface JoinLine {
  generationId?: number;
  memberId?: string;
  assignment: Record<string, number[]>;
}

export function joinLines(worker: WorkerProcess): JoinLine[] {
  return workerLogLines<JoinLine & { message?: string }>(worker).filter((line) => line.message === 'joined consumer group');
}

export interface RestartRound {
  kind: RestartKind;
  /** The restarted member's partitions before and after. */
  before: number[];
  after: number[];
  /** How the restarted member joined (classic: the generation it was handed). */
  rejoinedAs: JoinLine | undefined;
  /** Milliseconds from the signal to the restarted member holding its partitions again. */
  backAfterMs: number;
  /** The other member's join lines during the round: none means it was not rebalanced. */
  otherJoins: JoinLine[];
  otherAssignment: number[];
  /** The generation of the other member's last join (classic). */
  otherGeneration: number | undefined;
  ledger: LedgerReport;
}

/**
 * Two static members (KAFKA_GROUP_INSTANCE_ID pod-a, pod-b) share 6 partitions while events stream
 * in; pod-a is then restarted once per `kinds` entry (a new process with the same instance id),
 * each round ending when every input so far has its outcome. What each round saw is returned for
 * the test to judge.
 */
export async function restartStaticMember(
  bootstrap: string,
  workers: WorkerProcesses,
  overrides: Record<string, string>,
  kinds: readonly RestartKind[],
): Promise<{ topics: TestTopics; rounds: RestartRound[] }> {
  const topics = await createReliabilityTopics(bootstrap, 6);
  const env = workerEnv(bootstrap, topics, { KAFKA_CLIENT: 'platformatic', LOG_LEVEL: 'info', ...overrides });
  const spawn = (pod: string, n: number) => workers.spawn({ ...env, KAFKA_GROUP_INSTANCE_ID: pod, INSTANCE_ID: `${pod}-${n}` });
  const owns = async (w: WorkerProcess) => assignedPartitions(w.url, topics.input);
  let a = await spawn('pod-a', 0);
  const b = await spawn('pod-b', 0);
  await poll(
    'pod-a and pod-b to share the 6 partitions',
    async () => {
      const [pa, pb] = [await owns(a), await owns(b)];
      return pa.length > 0 && pb.length > 0 && pa.length + pb.length === 6 ? true : undefined;
    },
    90_000,
    250,
  );
  const rounds: RestartRound[] = [];
  for (const [i, kind] of kinds.entries()) {
    const stream = startInputStream(bootstrap, topics.input, { prefix: `static-${i}`, perSend: 20, everyMs: 100 });
    try {
      await poll('pod-b running with its partitions', async () => ((await readyStatus(b.url)) === 200 && (await readyStatus(a.url)) === 200 ? true : undefined), 60_000, 250);
      await new Promise((r) => setTimeout(r, 2000));
      const before = await owns(a);
      const otherBefore = joinLines(b).length;
      const signalled = Date.now();
      if (kind === 'SIGTERM') await a.stop();
      else await a.kill();
      a = await spawn('pod-a', i + 1);
      const restarted = a;
      const after = await poll('the restarted pod-a to hold partitions again', async () => {
        const owned = await owns(restarted);
        return owned.length > 0 ? owned : undefined;
      }, 90_000, 100);
      const backAfterMs = Date.now() - signalled;
      await new Promise((r) => setTimeout(r, 3000));
      await stream.stop();
      const ledger = await waitForNothingLost(bootstrap, topics, 90_000);
      rounds.push({
        kind,
        before,
        after,
        rejoinedAs: joinLines(a).find((l) => Object.values(l.assignment).some((p) => p.length > 0)),
        backAfterMs,
        otherJoins: joinLines(b).slice(otherBefore),
        otherAssignment: await owns(b),
        otherGeneration: joinLines(b).at(-1)?.generationId,
        ledger,
      });
    } finally {
      await stream.stop();
    }
  }
  return { topics, rounds };
}
