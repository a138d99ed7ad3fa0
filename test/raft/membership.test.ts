import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/raft/index.js';
import { nodeId } from '../../src/util/ids.js';
import { Harness } from './harness.js';

const id = nodeId;

describe('learners', () => {
  it('a learner receives the log but never counts toward a commit quorum', () => {
    const h = new Harness(['a', 'b'], { learners: ['c'] });
    h.elect('a');
    h.propose('a', 'x');
    expect(h.appliedTexts('c')).toEqual(['x']);
    h.isolate('b');
    const commit = h.node('a').commitIndex;
    h.node('a').propose([new TextEncoder().encode('y')]);
    h.stabilize();
    // a and c hold the entry (two of three members), but the voters are a and b.
    expect(h.node('c').status().lastIndex).toBe(h.node('a').status().lastIndex);
    expect(h.node('a').commitIndex).toBe(commit);
    h.heal();
    h.tick('a');
    h.stabilize();
    expect(h.appliedTexts('b')).toEqual(['x', 'y']);
  });

  it('a learner never campaigns, however long it hears nothing', () => {
    const h = new Harness(['a', 'b'], { learners: ['c'] });
    h.elect('a');
    h.isolate('c');
    for (let i = 0; i < 200; i++) h.tick('c');
    h.stabilize();
    expect(h.node('c').role).toBe('follower');
    expect(h.sent.filter((m) => m.from === 'c' && (m.type === 'vote' || m.type === 'preVote'))).toEqual([]);
  });

  it("a learner's vote is never counted by a candidate", () => {
    const h = new Harness(['a', 'b'], { learners: ['c'], preVote: false });
    h.elect('a');
    h.isolate('a'); // b can reach only the learner
    h.elect('b');
    expect(h.node('b').role).toBe('candidate');
    expect(h.sent.some((m) => m.from === 'c' && m.type === 'voteResp')).toBe(false); // not even asked
  });

  it('a learner is promoted only once it has caught up', () => {
    const h = new Harness(['a', 'b', 'c'], { maxLearnerLag: 2 });
    h.elect('a');
    h.add('d', new MemoryStorage());
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('d') }).ok).toBe(true);
    h.isolate('d');
    h.stabilize();
    for (let i = 0; i < 5; i++) h.propose('a', `v${i}`);
    expect(h.node('a').proposeConfChange({ type: 'addVoter', node: id('d') })).toMatchObject({ ok: false, code: 'LEARNER_NOT_CAUGHT_UP' });
    h.heal();
    h.tick('a');
    h.stabilize();
    expect(h.node('a').proposeConfChange({ type: 'addVoter', node: id('d') }).ok).toBe(true);
    h.stabilize();
    expect(h.node('d').status().conf).toEqual({ voters: ['a', 'b', 'c', 'd'], learners: [] });
    expect(h.appliedTexts('d')).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
  });
});

describe('membership changes', () => {
  it('a joining node learns the founding membership from a snapshot and follows every change', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'before');
    h.add('d', new MemoryStorage());
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('d') }).ok).toBe(true);
    h.stabilize();
    expect(h.sent.filter((m) => m.type === 'snap' && m.to === 'd')).toHaveLength(1);
    for (const n of ['a', 'b', 'c', 'd']) expect(h.node(n).status().conf).toEqual({ voters: ['a', 'b', 'c'], learners: ['d'] });
    h.propose('a', 'after');
    expect(h.appliedTexts('d')).toEqual(['before', 'after']);
  });

  it('allows one uncommitted membership change at a time', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.add('d', new MemoryStorage());
    h.add('e', new MemoryStorage());
    h.isolate('b');
    h.isolate('c');
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('d') }).ok).toBe(true);
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('e') })).toMatchObject({ ok: false, code: 'CONF_CHANGE_PENDING' });
    h.heal();
    h.stabilize();
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('e') }).ok).toBe(true);
  });

  it('a new leader changes membership only after committing an entry of its own term', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.node('a').campaign();
    h.deliverMatching((m) => m.type.startsWith('preVote') || m.type.startsWith('vote'));
    expect(h.node('a').role).toBe('leader');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('c') })).toMatchObject({ ok: false, code: 'CONF_CHANGE_NOT_READY' });
    h.stabilize(); // the no-op commits
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('c') }).ok).toBe(true);
  });

  it('refuses impossible changes with the reason', () => {
    const h = new Harness(['a']);
    h.elect('a');
    expect(h.node('a').proposeConfChange({ type: 'addVoter', node: id('a') })).toMatchObject({ ok: false, code: 'INVALID_CONF_CHANGE' });
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('a') })).toMatchObject({
      ok: false,
      code: 'INVALID_CONF_CHANGE',
      message: 'a is the last voter',
    });
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('zz') })).toMatchObject({ ok: false, code: 'INVALID_CONF_CHANGE' });
  });

  it('a configuration takes effect when appended and is undone when its entry is truncated', () => {
    const h = new Harness(['a', 'b', 'c', 'd', 'e'], { preVote: false, checkQuorum: false });
    h.elect('a');
    h.add('f', new MemoryStorage());
    expect(h.node('a').proposeConfChange({ type: 'addLearner', node: id('f') }).ok).toBe(true);
    // Only b receives the entry; it is not committed, yet b already uses it.
    h.deliverMatching((m) => m.type === 'app' && m.to === 'b');
    h.drop(() => true);
    expect(h.node('b').status().conf.learners).toEqual(['f']);
    expect(h.node('b').commitIndex).toBeLessThan(h.node('b').status().lastIndex);
    // c, d and e never saw it: c wins the next term with their votes and overwrites b's entry.
    h.restart('a');
    h.isolate('a');
    h.isolate('b');
    h.elect('c');
    h.heal();
    h.isolate('a');
    h.propose('c', 'overwrite');
    h.tick('c'); // c's first probe to b was lost; the heartbeat round resumes replication
    h.stabilize();
    expect(h.node('b').status().conf).toEqual({ voters: ['a', 'b', 'c', 'd', 'e'], learners: [] });
    expect(h.appliedTexts('b')).toEqual(['overwrite']);
  });

  it('a removed leader keeps leading until its removal commits, then hands over at once', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x');
    expect(h.node('a').proposeConfChange({ type: 'removeNode', node: id('a') }).ok).toBe(true);
    h.stabilize(); // no ticks: the handover must not wait for an election timeout
    expect(h.node('a').role).toBe('follower');
    const leaders = h.leaders();
    expect(leaders).toHaveLength(1);
    expect(['b', 'c']).toContain(leaders[0]);
    expect(h.sent.filter((m) => m.from === 'a' && m.type === 'timeoutNow')).toHaveLength(1);
    // The removed node never campaigns again, and the others keep working.
    for (let i = 0; i < 100; i++) h.tick('a');
    h.stabilize();
    expect(h.node('a').role).toBe('follower');
    h.propose(leaders[0]!, 'y');
    expect(h.appliedTexts(leaders[0]!)).toEqual(['x', 'y']);
  });
});
