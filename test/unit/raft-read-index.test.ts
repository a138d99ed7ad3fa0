import { describe, expect, it } from 'vitest';
import { ReadIndexQueue } from '../../src/raft/read-index.js';
import type { NodeId } from '../../src/util/ids.js';

const n = (id: string): NodeId => id as NodeId;
const ids = (...names: string[]): NodeId[] => names.map(n);

/** A queue with `reads` reads registered (seq 1..reads), at commit index 10 * seq. */
function queue(reads: number): ReadIndexQueue {
  const q = new ReadIndexQueue();
  for (let i = 1; i <= reads; i++) q.add(10 * i, n('leader'), 100 + i);
  return q;
}

describe('ReadIndexQueue', () => {
  it('numbers reads from 1 and heartbeats carry the latest number', () => {
    const q = new ReadIndexQueue();
    expect(q.lastSeq()).toBe(0);
    expect(q.add(5, n('a'), 1)).toBe(1);
    expect(q.add(5, n('b'), 2)).toBe(2);
    expect(q.lastSeq()).toBe(2);
    expect(q.size()).toBe(2);
  });

  // Three reads waiting: seq 1, 2, 3.
  it.each<{ name: string; voters: string[]; acks: [string, number][]; confirmed: number[] }>([
    { name: 'no acks', voters: ['a', 'b', 'c'], acks: [], confirmed: [] },
    { name: 'a minority of 3', voters: ['a', 'b', 'c'], acks: [['a', 3]], confirmed: [] },
    { name: 'a majority of 3 at seq 1', voters: ['a', 'b', 'c'], acks: [['a', 3], ['b', 1]], confirmed: [1] },
    { name: 'the majority value decides', voters: ['a', 'b', 'c'], acks: [['a', 3], ['b', 2], ['c', 1]], confirmed: [1, 2] },
    { name: 'a majority of 3 at the last seq', voters: ['a', 'b', 'c'], acks: [['a', 3], ['c', 3]], confirmed: [1, 2, 3] },
    { name: 'acks from non-voters are ignored', voters: ['a', 'b', 'c'], acks: [['a', 3], ['x', 3], ['y', 3], ['learner', 3]], confirmed: [] },
    { name: 'two of five is not enough', voters: ['a', 'b', 'c', 'd', 'e'], acks: [['a', 3], ['b', 3]], confirmed: [] },
    { name: 'three of five', voters: ['a', 'b', 'c', 'd', 'e'], acks: [['a', 3], ['b', 3], ['e', 2]], confirmed: [1, 2] },
    { name: 'two of four is not enough', voters: ['a', 'b', 'c', 'd'], acks: [['a', 3], ['b', 3]], confirmed: [] },
    { name: 'a single voter confirms alone', voters: ['a'], acks: [['a', 2]], confirmed: [1, 2] },
    { name: 'no voters confirm nothing', voters: [], acks: [['a', 3]], confirmed: [] },
    { name: 'a lower ack does not undo a higher one', voters: ['a', 'b', 'c'], acks: [['a', 3], ['b', 3], ['b', 1]], confirmed: [1, 2, 3] },
  ])('$name -> $confirmed', ({ voters, acks, confirmed }) => {
    const q = queue(3);
    for (const [from, seq] of acks) q.ack(n(from), seq);
    expect(q.takeConfirmed(ids(...voters)).map((r) => r.seq)).toEqual(confirmed);
    expect(q.size()).toBe(3 - confirmed.length);
  });

  it('releases reads in order, each once, with what was recorded for them', () => {
    const q = new ReadIndexQueue();
    q.add(7, n('a'), 70);
    q.add(8, n('b'), 80);
    q.add(9, n('a'), 90);
    const voters = ids('a', 'b', 'c');
    q.ack(n('a'), 2);
    q.ack(n('b'), 2);
    expect(q.takeConfirmed(voters)).toEqual([
      { seq: 1, index: 7, from: n('a'), requestId: 70 },
      { seq: 2, index: 8, from: n('b'), requestId: 80 },
    ]);
    expect(q.takeConfirmed(voters)).toEqual([]);
    expect(q.lastSeq()).toBe(3);
    q.ack(n('c'), 3);
    expect(q.takeConfirmed(voters)).toEqual([]);
    q.ack(n('a'), 3);
    expect(q.takeConfirmed(voters)).toEqual([{ seq: 3, index: 9, from: n('a'), requestId: 90 }]);
    expect(q.size()).toBe(0);
    expect(q.lastSeq()).toBe(0);
  });

  it('keeps numbering after the queue drains, so old acks cannot confirm new reads', () => {
    const q = queue(2);
    const voters = ids('a', 'b', 'c');
    q.ack(n('a'), 2);
    q.ack(n('b'), 2);
    expect(q.takeConfirmed(voters)).toHaveLength(2);
    expect(q.add(30, n('c'), 3)).toBe(3);
    expect(q.lastSeq()).toBe(3);
    expect(q.takeConfirmed(voters)).toEqual([]);
  });

  it('reset forgets pending reads and acks', () => {
    const q = queue(2);
    const voters = ids('a', 'b', 'c');
    q.ack(n('a'), 50);
    q.ack(n('b'), 50);
    q.reset();
    expect(q.size()).toBe(0);
    expect(q.lastSeq()).toBe(0);
    expect(q.takeConfirmed(voters)).toEqual([]);

    const seq = q.add(40, n('a'), 4);
    expect(seq).toBeGreaterThan(2);
    expect(q.takeConfirmed(voters)).toEqual([]); // the acks of before the reset no longer count
    q.ack(n('a'), seq);
    q.ack(n('c'), seq);
    expect(q.takeConfirmed(voters).map((r) => r.requestId)).toEqual([4]);
  });
});
