import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ControllerQuorum {
  /** Node id of the active controller (the KRaft quorum leader). */
  leaderId: number;
  /** Raft epoch of that leadership; a new election raises it. */
  leaderEpoch: number;
}

/** Where a KRaft node keeps its election state: `<log.dirs>/__cluster_metadata-0/quorum-state`. */
export function quorumStateFile(dataDir: string): string {
  return path.join(dataDir, 'kraft-logs', '__cluster_metadata-0', 'quorum-state');
}

/**
 * The active controller as the nodes themselves record it. Each voter rewrites its quorum-state
 * file (JSON with `leaderId` and `leaderEpoch`, the same fields in Kafka 3.x and 4.x) on every
 * election change; the highest epoch with a leader wins. Kafka clients cannot ask for this:
 * Metadata's controllerId is a random broker in KRaft (KIP-590), and kafkajs has no DescribeQuorum.
 * Right after the leader dies the survivors still name it until they elect another one, so callers
 * poll until the answer changes. Undefined when no file names a leader yet.
 */
export function readControllerQuorum(dataDirs: readonly string[]): ControllerQuorum | undefined {
  let best: ControllerQuorum | undefined;
  for (const dir of dataDirs) {
    const state = parseQuorumState(dir);
    if (state && state.leaderId >= 0 && (!best || state.leaderEpoch > best.leaderEpoch)) best = state;
  }
  return best;
}

function parseQuorumState(dataDir: string): ControllerQuorum | undefined {
  let text: string;
  try {
    text = readFileSync(quorumStateFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { leaderId?: unknown; leaderEpoch?: unknown };
    if (typeof parsed.leaderId !== 'number' || typeof parsed.leaderEpoch !== 'number') return undefined;
    return { leaderId: parsed.leaderId, leaderEpoch: parsed.leaderEpoch };
  } catch {
    // Caught mid-write (Kafka writes a temporary file and renames it, but be safe): ask again.
    return undefined;
  }
}
