import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { quorumStateFile, readControllerQuorum } from '../src/controller-quorum';

describe('readControllerQuorum', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function nodeDir(state: string | undefined): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-state-'));
    dirs.push(dir);
    if (state !== undefined) {
      mkdirSync(path.dirname(quorumStateFile(dir)), { recursive: true });
      writeFileSync(quorumStateFile(dir), state);
    }
    return dir;
  }

  // The format Kafka 3.9 writes (data_version 0); 4.x adds fields (votedDirectoryId, data_version 1).
  const v0 = (leaderId: number, leaderEpoch: number): string =>
    JSON.stringify({ clusterId: '', leaderId, leaderEpoch, votedId: -1, appliedOffset: 0, currentVoters: [{ voterId: 1 }, { voterId: 2 }, { voterId: 3 }], data_version: 0 });

  it('when the survivors have elected a new leader and one node still names the old one, then the highest epoch wins', () => {
    const dirs3 = [nodeDir(v0(2, 4)), nodeDir(v0(3, 6)), nodeDir(v0(3, 6))];
    expect(readControllerQuorum(dirs3)).toEqual({ leaderId: 3, leaderEpoch: 6 });
  });

  it('when an election is under way (no leader), then that node is ignored', () => {
    const candidate = JSON.stringify({ clusterId: '', leaderId: -1, leaderEpoch: 7, votedId: 1, data_version: 1 });
    expect(readControllerQuorum([nodeDir(candidate), nodeDir(v0(1, 5))])).toEqual({ leaderId: 1, leaderEpoch: 5 });
  });

  it('when no node has written its state, or a file is unreadable, then there is no answer rather than an error', () => {
    expect(readControllerQuorum([nodeDir(undefined), nodeDir('{"leaderId":'), nodeDir('null')])).toBeUndefined();
  });
});
