import { describe, expect, it } from 'vitest';
import { MemoryStorage, RaftNode, type Message } from '../../src/raft/index.js';
import type { RaftWrite } from '../../src/store/leveldb/level-raft-storage.js';
import { nodeId } from '../../src/util/ids.js';
import { seededRng } from '../../src/util/rng.js';
import { driverRig } from './raft-driver-rig.js';

/** What classic-level raised on a full file system. */
const FULL = (): Error => Object.assign(new Error('IO error: /data/raft/000003.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A candidate (no pre-vote) whose vote for itself must be durable before it asks for votes. */
function rig(failWith: (() => Error)[]) {
  const mem = MemoryStorage.bootstrap({ voters: ['a', 'b', 'c'].map(nodeId), learners: [] });
  const node = new RaftNode({ id: nodeId('a'), storage: mem, rng: seededRng(1), preVote: false });
  const sent: Message[] = [];
  const faults: string[] = [];
  let reopened = 0;
  const storage = {
    persist: async (w: RaftWrite): Promise<void> => {
      const fail = failWith.shift();
      if (fail !== undefined) throw fail();
      mem.append(w.entries);
      if (w.hardState !== undefined) mem.setHardState(w.hardState);
    },
    reopen: async (): Promise<void> => {
      reopened++;
    },
  };
  const { driver, fatal } = driverRig({ node, storage, send: (m) => sent.push(...m), onDiskFault: (op, code) => faults.push(`${op} ${code}`) });
  return { mem, node, driver, sent, faults, reopened: () => reopened, fatal };
}

describe('RaftDriver on a failing disk', () => {
  it('sends nothing that depends on a failed write, refuses writes, and retries the same write until it lands', async () => {
    const r = rig([FULL, FULL]);
    r.node.campaign();
    r.driver.kick();
    await until('the fault is known', () => r.driver.diskFault !== undefined);
    expect(r.driver.diskFault?.message).toBe('this server cannot write its raft log: ENOSPC (no space left on device); it refuses writes and retries until the disk accepts them');
    expect(r.driver.diskFaultRefusal('b')).toMatchObject({ code: 'DISK_FAULT', details: { leader: 'b' } });
    // The vote for itself is not durable: no vote request may leave.
    expect(r.sent).toEqual([]);
    await until('the votes are asked for', () => r.sent.length > 0);
    expect(r.sent.map((m) => `${m.type}->${m.to}`).sort()).toEqual(['vote->b', 'vote->c']);
    expect(r.mem.initialState().hardState).toMatchObject({ term: r.node.term, vote: 'a' });
    expect(r.faults).toEqual(['persist ENOSPC', 'persist ENOSPC']);
    expect(r.reopened()).toBe(2);
    expect(r.driver.diskFault).toBeUndefined();
    expect(r.driver.diskFaultRefusal('b')).toBeUndefined();
    expect(r.fatal()).toBeUndefined();
    r.driver.stop();
  });

  it('stops on a storage error that is not a file system condition', async () => {
    const r = rig([() => new Error('a bug in the batch')]);
    r.node.campaign();
    r.driver.kick();
    await until('fatal', () => r.fatal() !== undefined);
    expect(String(r.fatal())).toMatch(/a bug in the batch/);
    expect(r.sent).toEqual([]);
    expect(r.faults).toEqual([]);
  });
});
