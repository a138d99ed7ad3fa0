import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/raft/index.js';
import { nodeId } from '../../src/util/ids.js';
import { Harness } from './harness.js';

const id = nodeId;
const voteTraffic = (m: { type: string }): boolean => m.type === 'vote' || m.type === 'voteResp';

describe('single-server membership changes stay safe', () => {
  /**
   * Ongaro's 2015 counter-example (raft-dev, "bug in single-server membership changes"). A
   * leader of C0 = {a,b,c,d} appends C1 = C0+e and reaches only e. A new leader b of C0 appends
   * C2 = C0-d and commits it with {b,c} (a majority of C2 = {a,b,c}). C1 and C2 each differ from
   * C0 by one server but from each other by two: a could then win {a,d,e}, a majority of C1,
   * and overwrite the committed C2. The rule that prevents it: b may change membership only
   * after committing an entry of its own term, which requires a C0 majority and so reaches d.
   */
  it('a new leader cannot commit a change that a stale configuration could overwrite', () => {
    const h = new Harness(['a', 'b', 'c', 'd'], { preVote: false, checkQuorum: false });
    h.add('e', new MemoryStorage());
    h.elect('a');
    // e joins as a learner and catches up; then C1 (e becomes a voter) reaches e only.
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('e') }).ok).toBe(true);
    h.stabilize();
    h.tick('a');
    h.stabilize();
    for (let i = 0; i < 5; i++) h.propose('a', `w${i}`);
    h.isolate('b');
    h.isolate('c');
    h.isolate('d');
    expect(h.node('a').proposeConfChange({ type: 'addVoter', node: id('e') }).ok).toBe(true);
    h.stabilize();
    expect(h.node('e').status().conf.voters).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(h.node('d').status().conf.voters).toEqual(['a', 'b', 'c', 'd']);

    // a crashes; b wins a C0 majority {b,c,d}; then d is cut off before hearing from b again.
    h.restart('a');
    h.heal();
    h.isolate('a');
    h.isolate('e');
    h.node('b').campaign();
    h.deliverMatching(voteTraffic);
    expect(h.node('b').role).toBe('leader');
    h.isolate('d');
    h.drop((m) => m.to === 'd');
    // b tries C2 = C0 - d, which {b, c} alone would commit (2 of 3).
    h.node('b').proposeConfChange({ type: 'removeNode', node: id('d') });
    h.stabilize();
    const bCommit = h.node('b').commitIndex;
    const committedByB = h.node('b').entries(2, bCommit + 1)!;

    // a returns with d and e: {a,d,e} is a majority of C1. Whoever leads now must hold every
    // entry b committed.
    h.heal();
    h.isolate('b');
    h.isolate('c');
    for (let i = 0; i < 3 && h.node('a').role !== 'leader'; i++) {
      h.node('a').campaign();
      h.deliverMatching(voteTraffic);
    }
    if (h.node('a').role === 'leader') {
      for (const e of committedByB) expect(h.node('a').termAt(e.index), `entry ${e.index} committed by b`).toBe(e.term);
    }
  });

  it('refuses a change whose new voters have no reachable quorum', () => {
    const h = new Harness(['a']);
    h.elect('a');
    // A voter that does not exist would make every commit wait for it, forever.
    expect(h.node('a').proposeConfChange({ type: 'addVoter', node: id('typo') })).toMatchObject({ ok: false, code: 'WOULD_LOSE_QUORUM' });
    const h3 = new Harness(['a', 'b', 'c'], { checkQuorum: true, electionTick: 10 });
    h3.elect('a');
    h3.isolate('c');
    // Two CheckQuorum rounds: c answered during the first one, before it was cut off.
    for (let i = 0; i < 20; i++) {
      h3.tick('a');
      h3.stabilize();
    }
    // With c silent, removing b would leave {a, c}: a quorum of that needs c.
    expect(h3.node('a').proposeConfChange({ type: 'removeNode', node: id('b') })).toMatchObject({ ok: false, code: 'WOULD_LOSE_QUORUM' });
    expect(h3.node('a').proposeConfChange({ type: 'removeNode', node: id('c') }).ok).toBe(true);
  });

  it('accepts a change right after a CheckQuorum round starts, when every voter answered the round before', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: true, electionTick: 10 });
    h.elect('a');
    for (let i = 0; i < 30; i++) {
      h.tick('a');
      h.stabilize();
    }
    // Tick up to the start of a round, delivering nothing: only a itself is active in it.
    for (let i = 0; i < 10; i++) h.tick('a');
    expect(h.node('a').role).toBe('leader');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('c') }).ok).toBe(true);
  });

  it('a removed node is told it was removed, and stops campaigning', () => {
    const h = new Harness(['a', 'b', 'c', 'd'], { preVote: false, checkQuorum: false });
    h.elect('a');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('d') }).ok).toBe(true);
    h.stabilize();
    expect(h.node('d').status().conf.voters).toEqual(['a', 'b', 'c']);
    const term = h.node('a').term;
    for (let i = 0; i < 300; i++) h.tick('d');
    h.stabilize();
    expect(h.sent.filter((m) => m.from === 'd' && m.type === 'vote')).toEqual([]);
    expect(h.node('a').term).toBe(term);
    expect(h.leaders()).toEqual(['a']);
  });

  it('a leader removing itself refuses new proposals and hands over with the commit index', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('a') }).ok).toBe(true);
    expect(h.node('a').propose([new Uint8Array([1])])).toMatchObject({ ok: false, code: 'NOT_LEADER', leader: '' });
    h.stabilize();
    const [leader] = h.leaders();
    expect(['b', 'c']).toContain(leader);
    for (const n of ['b', 'c']) expect(h.node(n).status().conf.voters).toEqual(['b', 'c']);
  });

  it('reads waiting for confirmation are answered when the voters shrink to the leader alone', () => {
    const h = new Harness(['a', 'b']);
    h.elect('a');
    h.cutLink('b', 'a');
    expect(h.node('a').readIndex(42).ok).toBe(true);
    h.stabilize();
    expect(h.get('a').readStates).toEqual([]);
    h.heal();
    h.tick('a');
    h.stabilize();
    h.cutLink('b', 'a');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('b') }).ok).toBe(true);
    h.stabilize();
    expect(h.get('a').readStates.map((r) => r.requestId)).toEqual([42]);
  });

  it('refuses an empty proposal', () => {
    const h = new Harness(['a']);
    h.elect('a');
    expect(h.node('a').propose([])).toMatchObject({ ok: false, code: 'EMPTY_PROPOSAL' });
  });
});
