import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

describe('ReadIndex: linearizable reads without a log write (§6.4)', () => {
  it('the leader answers only after a heartbeat round confirms it still leads', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x');
    expect(h.node('a').readIndex(7).ok).toBe(true);
    const before = h.sent.length;
    h.processAll();
    expect(h.get('a').readStates).toEqual([]);
    h.stabilize();
    expect(h.sent.slice(before).filter((m) => m.type === 'heartbeat')).toHaveLength(2);
    expect(h.get('a').readStates).toEqual([{ index: h.node('a').commitIndex, requestId: 7 }]);
    // No entry was written for the read.
    expect(h.node('a').status().lastIndex).toBe(h.node('a').commitIndex);
  });

  it('many reads between two Readies share one heartbeat round', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    for (let i = 1; i <= 10; i++) h.node('a').readIndex(i);
    const before = h.sent.length;
    h.stabilize();
    expect(h.sent.slice(before).filter((m) => m.type === 'heartbeat')).toHaveLength(2);
    expect(h.get('a').readStates.map((r) => r.requestId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("a follower gets the leader's read index and serves the read itself", () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x');
    expect(h.node('c').readIndex(3).ok).toBe(true);
    h.stabilize();
    expect(h.get('c').readStates).toEqual([{ index: h.node('a').commitIndex, requestId: 3 }]);
    expect(h.get('a').readStates).toEqual([]);
  });

  it('a follower with no known leader refuses at once', () => {
    const h = new Harness(['a', 'b', 'c']);
    expect(h.node('b').readIndex(1)).toMatchObject({ ok: false, code: 'NO_LEADER' });
  });

  it('a deposed leader never answers a read, even after it rejoins', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: false });
    h.elect('a');
    h.isolate('a');
    expect(h.node('a').readIndex(42).ok).toBe(true);
    h.stabilize();
    // Meanwhile the majority elects b and commits a write a does not have.
    h.elect('b');
    h.propose('b', 'newer');
    h.heal();
    h.tick('b');
    h.stabilize();
    expect(h.node('a').role).toBe('follower');
    expect(h.get('a').readStates).toEqual([]);
  });

  it('a new leader holds reads until it has committed an entry of its own term', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.node('a').campaign();
    h.deliverMatching((m) => m.type.startsWith('preVote') || m.type.startsWith('vote'));
    expect(h.node('a').role).toBe('leader');
    h.node('a').readIndex(5);
    h.deliverMatching((m) => m.type === 'heartbeat' || m.type === 'heartbeatResp');
    expect(h.get('a').readStates).toEqual([]);
    h.stabilize();
    expect(h.get('a').readStates).toEqual([{ index: h.node('a').commitIndex, requestId: 5 }]);
  });
});
