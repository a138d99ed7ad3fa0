import { describe, expect, it } from 'vitest';
import { MemoryStorage, RaftNode } from '../../src/raft/index.js';
import { nodeId } from '../../src/util/ids.js';
import { seededRng } from '../../src/util/rng.js';
import { Harness } from './harness.js';

function single(): { node: RaftNode; storage: MemoryStorage } {
  const storage = MemoryStorage.bootstrap({ voters: [nodeId('a')], learners: [] });
  return { node: new RaftNode({ id: nodeId('a'), storage, rng: seededRng(1) }), storage };
}

describe('the Ready contract', () => {
  it('refuses a second ready() before advance(), and advance() without a Ready', () => {
    const { node } = single();
    node.campaign();
    node.ready();
    expect(() => node.ready()).toThrow(/before advance/);
    node.advance();
    expect(() => node.advance()).toThrow(/without a Ready/);
  });

  it('reports hard state only when it changes, and asks for fsync only for entries, snapshots, term or vote', () => {
    const { node, storage } = single();
    node.campaign();
    const rd = node.ready();
    expect(rd.hardState).toMatchObject({ term: 2, vote: 'a' });
    expect(rd.softState).toEqual({ leader: 'a', role: 'leader' });
    expect(rd.mustSync).toBe(true);
    storage.append(rd.entries);
    storage.setHardState(rd.hardState!);
    node.advance();
    // The no-op is durable now; committing it changes only the commit index: no fsync needed.
    const rd2 = node.ready();
    expect(rd2.hardState).toMatchObject({ term: 2, vote: 'a', commit: 2 });
    expect(rd2.entries).toEqual([]);
    expect(rd2.committedEntries.map((e) => e.index)).toEqual([2]);
    expect(rd2.mustSync).toBe(false);
    storage.setHardState(rd2.hardState!);
    node.advance();
    expect(node.hasReady()).toBe(false);
  });

  it('the leader commits its own entries only once advance() confirms they are durable', () => {
    const { node, storage } = single();
    node.campaign();
    const rd = node.ready();
    // Still being written: not committed, even though the leader is the only voter.
    expect(node.commitIndex).toBe(1);
    expect(rd.committedEntries).toEqual([]);
    storage.append(rd.entries);
    storage.setHardState(rd.hardState!);
    node.advance();
    expect(node.commitIndex).toBe(2);
  });

  it('entries written while a Ready is in flight go out in the next one', () => {
    const { node, storage } = single();
    node.campaign();
    let rd = node.ready();
    storage.append(rd.entries);
    storage.setHardState(rd.hardState!);
    node.advance();
    rd = node.ready();
    node.propose([new Uint8Array([1])]); // arrives during the write of rd
    storage.setHardState(rd.hardState!);
    node.advance();
    rd = node.ready();
    expect(rd.entries.map((e) => e.index)).toEqual([3]);
  });

  it('a leader whose write is still under way may send heartbeats and appends, and nothing else', () => {
    const h = new Harness(['a', 'b', 'c'], { electionTick: 10, heartbeatTick: 1 });
    h.elect('a');
    const a = h.node('a');
    a.propose([new TextEncoder().encode('slow')]);
    const rd = a.ready(); // being written: advance() not called yet
    expect(rd.entries).toHaveLength(1);
    // The slow fsync: ticks go on, and the heartbeats they make can leave now.
    a.tick();
    const early = a.takeLeaderMessages();
    expect(early.map((m) => m.type).sort()).toEqual(['heartbeat', 'heartbeat']);
    expect(a.takeLeaderMessages()).toEqual([]);
    // The followers hear from their leader during the write, so their election timers (10 to
    // 19 ticks) start again: 9 ticks before and 9 after, and neither campaigns.
    for (const id of ['b', 'c']) h.tick(id, 9);
    for (const m of early) h.deliver(m);
    for (const id of ['b', 'c']) {
      h.tick(id, 9);
      expect(h.node(id).role).toBe('follower');
      expect(h.node(id).leader).toBe('a');
    }
    // A heartbeat's commit index is what a majority holds durably: not the entry in flight.
    expect(early.every((m) => m.type === 'heartbeat' && m.commit < rd.entries[0]!.index)).toBe(true);
  });

  it('takes nothing early from a follower or a candidate', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    const b = h.node('b');
    h.tick('a');
    h.processAll();
    h.stabilize();
    // A follower's acknowledgements promise its write: they wait for it.
    b.step({ type: 'heartbeat', from: nodeId('a'), to: nodeId('b'), term: b.term, commit: 0, readSeq: 0 });
    expect(b.takeLeaderMessages()).toEqual([]);
    // A candidate's vote requests depend on its new term being durable.
    const c = h.node('c');
    c.campaign();
    expect(c.takeLeaderMessages()).toEqual([]);
    expect(c.ready().messages.length).toBeGreaterThan(0); // they were there, and wait for the write
  });

  it('a follower restarted from its storage keeps its term, vote and log', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x', 'y');
    const before = h.node('b').status();
    h.restart('b');
    const after = h.node('b').status();
    expect(after).toMatchObject({ term: before.term, vote: before.vote, commit: before.commit, lastIndex: before.lastIndex, role: 'follower' });
    h.tick('a');
    h.stabilize();
    // Committed entries are applied again after the restart (the state machine was volatile).
    expect(h.appliedTexts('b')).toEqual(['x', 'y']);
  });

  it('ignores messages addressed to another node', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.node('b').step({ type: 'heartbeat', from: nodeId('a'), to: nodeId('c'), term: 9, commit: 0, readSeq: 0 });
    expect(h.node('b').term).toBe(1);
  });

  it('rejects an invalid configuration with a clear error naming the field', () => {
    const storage = new MemoryStorage();
    expect(() => new RaftNode({ id: nodeId('a'), storage, rng: seededRng(1), electionTick: 2, heartbeatTick: 2 })).toThrow(
      /heartbeatTick \(2\) must be below electionTick \(2\)/,
    );
    expect(() => new RaftNode({ id: nodeId('a'), storage, rng: seededRng(1), maxInflightMsgs: 0 })).toThrow(/maxInflightMsgs/);
  });
});
