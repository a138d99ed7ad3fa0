import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMemberAttributes } from '../../src/server/applier.js';
import { ReadBarrier } from '../../src/server/read-barrier.js';
import { deadlineIn } from '../../src/time/deadline.js';
import { LevelRaftStorage } from '../../src/store/leveldb/level-raft-storage.js';
import { RosterError } from '../../src/util/errors.js';
import { nodeId } from '../../src/util/ids.js';

describe('ReadBarrier', () => {
  /** An asker that records the request ids it passed on; `leader` says whether one is known. */
  const asker = (leader = true): { asked: number[]; leader: boolean; ask: (id: number) => boolean; unconfirmed: () => RosterError } => {
    const a = {
      asked: [] as number[],
      leader,
      ask: (id: number): boolean => {
        if (!a.leader) return false;
        a.asked.push(id);
        return true;
      },
      unconfirmed: () => new RosterError('UNAVAILABLE', 'etcdserver: no leader', { leader: 'n2', leaderAddr: 'h:2' }),
    };
    return a;
  };

  it('a confirmed read proceeds once the state machine reaches its index', async () => {
    const a = asker();
    const b = new ReadBarrier(1000, a);
    const p = b.start(deadlineIn(1000));
    let done = false;
    void p.then(() => (done = true));
    b.confirmed([{ index: 10, requestId: a.asked[0]! }]);
    b.appliedTo(9);
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    b.appliedTo(10);
    await p;
  });

  it('request ids do not restart at 1 with each process', () => {
    const ids = [asker(), asker()].map((a) => {
      const b = new ReadBarrier(10, a);
      void b.start(deadlineIn(10)).catch(() => {});
      return a.asked[0];
    });
    expect(ids[0]).not.toBe(1);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('on a leader change an unconfirmed read is asked again under a new id, and a late answer to the old one is ignored', async () => {
    const a = asker();
    const b = new ReadBarrier(5000, a);
    b.appliedTo(20);
    let done = false;
    const p = b.start(deadlineIn(5000)).then(() => (done = true));
    b.leaderChanged();
    expect(a.asked).toHaveLength(2);
    expect(a.asked[1]).not.toBe(a.asked[0]);
    b.confirmed([{ index: 5, requestId: a.asked[0]! }]);
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    b.confirmed([{ index: 5, requestId: a.asked[1]! }]);
    await p;
    expect(b.size).toBe(0);
  });

  it('a read started with no leader waits for one and is asked then', async () => {
    const a = asker(false);
    const b = new ReadBarrier(5000, a);
    const p = b.start(deadlineIn(5000));
    expect(a.asked).toEqual([]);
    a.leader = true;
    b.leaderChanged();
    expect(a.asked).toHaveLength(1);
    b.confirmed([{ index: 0, requestId: a.asked[0]! }]);
    await p;
  });

  it('a confirmed read is not asked again on a leader change', () => {
    const a = asker();
    const b = new ReadBarrier(5000, a);
    void b.start(deadlineIn(5000)).catch(() => {});
    b.confirmed([{ index: 50, requestId: a.asked[0]! }]);
    b.leaderChanged();
    expect(a.asked).toHaveLength(1);
    b.failAll(new Error('stop'));
  });

  it('a read no leader confirms is refused with the UNAVAILABLE refusal and hint at confirmWithinMs, long before its deadline', async () => {
    const b = new ReadBarrier(30, asker());
    const began = performance.now();
    await expect(b.start(deadlineIn(10_000))).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { leader: 'n2', leaderAddr: 'h:2' } });
    expect(performance.now() - began).toBeLessThan(1000);
    expect(b.size).toBe(0);
  });

  it('reads share requests: those that begin while one is in flight are asked together once it is answered, never by a request made before they began', async () => {
    const a = asker();
    const b = new ReadBarrier(5000, a);
    b.appliedTo(100);
    const done: string[] = [];
    const read = (name: string): Promise<void> => b.start(deadlineIn(5000)).then(() => void done.push(name));
    const first = read('a');
    const second = [read('b'), read('c')];
    expect(a.asked).toHaveLength(1); // b and c wait: a's request was made before they began
    b.confirmed([{ index: 10, requestId: a.asked[0]! }]);
    await first;
    expect(done).toEqual(['a']);
    expect(a.asked).toHaveLength(2); // now b and c, in one request
    const third = read('d'); // begins after b and c's request: it may not use its answer
    b.confirmed([{ index: 11, requestId: a.asked[1]! }]);
    await Promise.all(second);
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toEqual(['a', 'b', 'c']);
    expect(a.asked).toHaveLength(3);
    b.confirmed([{ index: 12, requestId: a.asked[2]! }]);
    await third;
    expect(done).toEqual(['a', 'b', 'c', 'd']);
    expect(b.size).toBe(0);
  });

  it('a leader change in the middle asks the round in flight and the one waiting again as one request; late answers to the old ones count for nothing', async () => {
    const a = asker();
    const b = new ReadBarrier(5000, a);
    b.appliedTo(100);
    const done: string[] = [];
    const reads = ['a', 'b', 'c'].map((name) => b.start(deadlineIn(5000)).then(() => void done.push(name)));
    expect(a.asked).toHaveLength(1); // a in flight; b and c waiting for it
    const [old] = a.asked;
    b.leaderChanged();
    expect(a.asked).toHaveLength(2);
    b.confirmed([{ index: 5, requestId: old! }]); // the old leader's late word
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toEqual([]);
    b.confirmed([{ index: 6, requestId: a.asked[1]! }]);
    await Promise.all(reads);
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    expect(a.asked).toHaveLength(2); // nothing left to ask
    expect(b.size).toBe(0);
  });

  it('a request that is not answered holds the next round back only briefly, and a read given up on leaves its round', async () => {
    vi.useFakeTimers();
    try {
      const a = asker();
      const b = new ReadBarrier(5000, a);
      b.appliedTo(100);
      const lost = b.start(deadlineIn(5000)); // its request goes unanswered for a while
      const next = b.start(deadlineIn(5000));
      expect(a.asked).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(50);
      expect(a.asked).toHaveLength(2); // asked anyway
      b.confirmed([{ index: 3, requestId: a.asked[1]! }]);
      await next;
      // The lost request is overdue: it holds the next reads back no more.
      const short = b.start(deadlineIn(20)).catch((e: unknown) => e);
      expect(a.asked).toHaveLength(3);
      // A read whose only company timed out: its round no longer holds anything back.
      const later = b.start(deadlineIn(5000));
      expect(a.asked).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(20);
      expect(await short).toMatchObject({ code: 'UNAVAILABLE' });
      expect(a.asked).toHaveLength(4); // the later read was asked as soon as the round emptied
      b.confirmed([{ index: 4, requestId: a.asked[3]! }]);
      await later;
      // A late answer to the overdue request still counts for its read.
      expect(b.size).toBe(1);
      b.confirmed([{ index: 2, requestId: a.asked[0]! }]);
      await lost;
      expect(b.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a confirmed read waiting for its index is held to its deadline, not refused at confirmWithinMs', async () => {
    const a = asker();
    const b = new ReadBarrier(10, a);
    let settled = false;
    const p = b.start(deadlineIn(10_000)).finally(() => (settled = true));
    b.confirmed([{ index: 7, requestId: a.asked[0]! }]);
    await new Promise((r) => setTimeout(r, 40));
    expect(settled).toBe(false);
    b.appliedTo(7);
    await p;
  });
});

describe('member attributes entries', () => {
  it.each([
    ['not JSON', 'not json'],
    ['a missing address', '{"name":"n1"}'],
    ['an address that is not host:port', '{"name":"n1","clientAddr":"x"}'],
    ['an invalid name', '{"name":"a b","clientAddr":"h:1"}'],
  ])('refuses %s with BAD_COMMAND, never another error', (_what, text) => {
    expect(() => decodeMemberAttributes(new TextEncoder().encode(text))).toThrow(expect.objectContaining({ code: 'BAD_COMMAND' }));
  });

  it('accepts a well-formed one', () => {
    expect(decodeMemberAttributes(new TextEncoder().encode('{"name":"n1","clientAddr":"127.0.0.1:8502"}'))).toEqual({ name: 'n1', clientAddr: '127.0.0.1:8502' });
  });
});

describe('log compaction', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('never moves the compaction point backwards (a snapshot installed meanwhile wins)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-compact-'));
    dirs.push(dir);
    const conf = { voters: [nodeId('a')], learners: [] };
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ snapshot: { index: 100, term: 3, conf }, entries: [], hardState: { term: 3, vote: '' as never, commit: 100 } }, true);
    await s.compact({ index: 40, term: 2, conf: { voters: [nodeId('old')], learners: [] } }, 30);
    expect(s.compactionPoint()).toEqual({ index: 100, term: 3, conf });
    expect(s.firstIndex()).toBe(101);
    await s.close();
  });
});
