import { describe, expect, it } from 'vitest';
import { MemoryStorage, RaftNode, type Message, type RaftStatus } from '../../src/raft/index.js';
import { droppedCount } from '../../src/util/dropped.js';
import { nodeId } from '../../src/util/ids.js';
import { seededRng } from '../../src/util/rng.js';
import { Harness } from '../raft/harness.js';
import { driverRig } from './raft-driver-rig.js';

const s1 = nodeId('s1');
const s2 = nodeId('s2');
const s3 = nodeId('s3');

/** A 3-server cluster led by s1 with a few committed entries everywhere. */
function cluster(): Harness {
  const h = new Harness(['s1', 's2', 's3']);
  h.elect('s1');
  h.propose('s1', 'a', 'b');
  h.stabilize();
  return h;
}

/** What a forged message must leave alone. */
function durable(s: RaftStatus): object {
  return { term: s.term, vote: s.vote, leader: s.leader, role: s.role, commit: s.commit, lastIndex: s.lastIndex, peers: s.peers };
}

/** Steps `m` into `to` and shows it was dropped for `reason` with nothing changed or sent. */
function expectDropped(h: Harness, to: string, m: Message, reason: string): void {
  const before = durable(h.node(to).status());
  expect(h.node(to).step(m)).toBe(reason);
  expect(durable(h.node(to).status())).toEqual(before);
  expect(h.node(to).hasReady()).toBe(false);
}

describe('forged Raft messages (no real peer sends them) are dropped with a reason and change nothing', () => {
  it('a heartbeat with a commit index of 2^52, at the current term or later, does not stop the follower', () => {
    const h = cluster();
    const term = h.node('s2').term;
    for (const t of [term, term + 1]) {
      expectDropped(h, 's2', { type: 'heartbeat', from: s1, to: s2, term: t, commit: 2 ** 52, readSeq: 0 }, 'out_of_bounds');
    }
  });

  it('a heartbeat asking to commit past the follower’s log (in bounds) is dropped, the term does not move', () => {
    const h = cluster();
    const s = h.node('s2').status();
    for (const t of [s.term, s.term + 1]) {
      expectDropped(h, 's2', { type: 'heartbeat', from: s1, to: s2, term: t, commit: s.lastIndex + 1, readSeq: 0 }, 'commit_beyond_log');
    }
    // A real heartbeat still commits as before.
    h.propose('s1', 'c');
    expect(h.node('s2').commitIndex).toBe(h.node('s1').commitIndex);
  });

  it('a vote request at term 2^60 with the transfer flag is not taken, and elections still work', () => {
    const h = cluster();
    for (const to of ['s2', 's3']) {
      expectDropped(h, to, { type: 'vote', from: s1, to: nodeId(to), term: 2 ** 60, index: 100, logTerm: 2 ** 60, transfer: true }, 'out_of_bounds');
    }
    const term = h.node('s2').term;
    // A real transfer campaign (the same flag) at term + 1 wins.
    expect(h.node('s1').transferLeadership(s2)).toEqual({ ok: true });
    h.stabilize();
    expect(h.leaders()).toEqual([s2]);
    expect(h.node('s2').term).toBe(term + 1);
  });

  it('a TimeoutNow not from the leader of our term (another member, a later term, to the leader) forces no election and moves no term', () => {
    const h = cluster();
    const term = h.node('s2').term;
    expectDropped(h, 's2', { type: 'timeoutNow', from: s3, to: s2, term }, 'timeout_now_not_from_leader');
    expectDropped(h, 's2', { type: 'timeoutNow', from: s1, to: s2, term: term + 1 }, 'timeout_now_not_from_leader');
    expectDropped(h, 's2', { type: 'timeoutNow', from: nodeId('outsider'), to: s2, term: term + 5 }, 'timeout_now_not_from_leader');
    expectDropped(h, 's1', { type: 'timeoutNow', from: s2, to: s1, term }, 'timeout_now_not_from_leader');
    // A flood of them: still the same leader, the same term.
    for (let i = 0; i < 30; i++) h.node('s3').step({ type: 'timeoutNow', from: s2, to: s3, term: term + (i % 3) });
    h.stabilize();
    expect(h.leaders()).toEqual([s1]);
    expect(h.node('s3').term).toBe(term);
    // The leader's own, in a transfer, is taken.
    expect(h.node('s1').transferLeadership(s3)).toEqual({ ok: true });
    h.stabilize();
    expect(h.leaders()).toEqual([s3]);
  });

  it('leader messages from a node that cannot lead (a second leader of our term, a non-voter of a later term in the lease) are dropped', () => {
    const h = cluster();
    const s = h.node('s2').status();
    const term = s.term;
    const outsider = nodeId('outsider');
    const snap = { meta: { index: s.lastIndex + 5, term, conf: { voters: [s1, s2, s3], learners: [] } }, data: new Uint8Array() };
    // At our term, from anyone but s1: it would commit our whole log, or install its state.
    expectDropped(h, 's2', { type: 'heartbeat', from: s3, to: s2, term, commit: s.lastIndex, readSeq: 0 }, 'second_leader');
    expectDropped(h, 's2', { type: 'heartbeat', from: outsider, to: s2, term, commit: s.lastIndex, readSeq: 0 }, 'second_leader');
    expectDropped(h, 's2', { type: 'snap', from: outsider, to: s2, term, snapshot: snap }, 'second_leader');
    expectDropped(h, 's1', { type: 'app', from: s2, to: s1, term, index: s.lastIndex, logTerm: term, commit: 0, entries: [] }, 'second_leader');
    // At a later term, from a node that is no voter of ours, while s1's lease holds.
    expectDropped(h, 's2', { type: 'heartbeat', from: outsider, to: s2, term: term + 1, commit: 0, readSeq: 0 }, 'leader_not_a_voter');
    expectDropped(h, 's2', { type: 'snap', from: outsider, to: s2, term: term + 1, snapshot: snap }, 'leader_not_a_voter');
    expectDropped(h, 's2', { type: 'vote', from: outsider, to: s2, term: term + 1, index: 2 ** 40, logTerm: term, transfer: true }, 'candidate_not_a_voter');
    h.propose('s1', 'c');
    expect(h.leaders()).toEqual([s1]);
    expect(h.appliedTexts('s2')).toEqual(h.appliedTexts('s1'));
  });

  it('terms and indexes that are negative, fractional or above 2^48 are out of bounds', () => {
    const h = cluster();
    const term = h.node('s2').term;
    const forged: Message[] = [
      { type: 'heartbeat', from: s1, to: s2, term: -1, commit: 0, readSeq: 0 },
      { type: 'heartbeat', from: s1, to: s2, term: term + 0.5, commit: 0, readSeq: 0 },
      { type: 'heartbeat', from: s1, to: s2, term: 2 ** 48 + 1, commit: 0, readSeq: 0 },
      { type: 'heartbeat', from: s1, to: s2, term, commit: 1, readSeq: 2 ** 53 },
      { type: 'preVote', from: s3, to: s2, term: term + 1, index: 2 ** 53, logTerm: term, transfer: false },
      { type: 'app', from: s1, to: s2, term, index: 2 ** 49, logTerm: term, commit: 0, entries: [] },
      { type: 'readIndexResp', from: s1, to: s2, term, requestId: 1, index: Number.NaN },
      { type: 'snap', from: s1, to: s2, term, snapshot: { meta: { index: 2 ** 50, term, conf: { voters: [s1, s2, s3], learners: [] } }, data: new Uint8Array() } },
    ];
    for (const m of forged) expectDropped(h, 's2', m, 'out_of_bounds');
  });

  it('an append whose entries leave a gap or go back in term is dropped', () => {
    const h = cluster();
    const s = h.node('s2').status();
    const t = s.term;
    const entry = (index: number, term: number) => ({ index, term, kind: 'normal' as const, data: new Uint8Array() });
    const at = s.lastIndex;
    const logTerm = h.node('s2').termAt(at)!;
    expectDropped(h, 's2', { type: 'app', from: s1, to: s2, term: t, index: at, logTerm, commit: s.commit, entries: [entry(at + 2, t)] }, 'entries_out_of_order');
    expectDropped(h, 's2', { type: 'app', from: s1, to: s2, term: t, index: at, logTerm, commit: s.commit, entries: [entry(at + 1, t), entry(at + 2, t - 1)] }, 'entries_out_of_order');
  });

  it('acknowledgements beyond the leader’s log do not move its commit index (they would stop it)', () => {
    const h = cluster();
    const term = h.node('s1').term;
    for (const from of [s2, s3]) {
      expectDropped(h, 's1', { type: 'appResp', from, to: s1, term, index: 2 ** 40, reject: false, hintIndex: 0, hintTerm: 0 }, 'ack_beyond_log');
    }
    expectDropped(h, 's1', { type: 'appResp', from: s2, to: s1, term, index: 3, reject: true, hintIndex: 2 ** 40, hintTerm: 0 }, 'out_of_bounds');
    h.propose('s1', 'c');
    expect(h.node('s3').commitIndex).toBe(h.node('s1').commitIndex);
  });
});

describe('a forged read confirmation', () => {
  it('echoing a read sequence the leader never sent confirms no read', () => {
    const h = cluster();
    const term = h.node('s1').term;
    expect(h.node('s1').readIndex(7)).toEqual({ ok: true });
    h.drop(() => true); // the heartbeats carrying the read never arrive
    for (const from of [s2, s3]) {
      expectDropped(h, 's1', { type: 'heartbeatResp', from, to: s1, term, readSeq: 1000 }, 'ack_beyond_log');
    }
    expect(h.get('s1').readStates).toEqual([]);
  });
});

describe('the driver, given a forged message', () => {
  it('counts it as roster_dropped_total{site="raft_core"}, does not stop, and takes no leader contact from it', () => {
    const mem = MemoryStorage.bootstrap({ voters: [s1, s2, s3], learners: [] });
    const node = new RaftNode({ id: s2, storage: mem, rng: seededRng(1) });
    const { driver, fatal } = driverRig({ node, storage: { persist: async () => {}, reopen: async () => {} } });
    const before = { bounds: droppedCount('raft_core', 'out_of_bounds'), beyond: droppedCount('raft_core', 'commit_beyond_log') };
    const term = node.term;
    expect(() => driver.step({ type: 'heartbeat', from: s1, to: s2, term: term + 1, commit: 2 ** 52, readSeq: 0 })).not.toThrow();
    expect(() => driver.step({ type: 'heartbeat', from: s1, to: s2, term: term + 1, commit: 1000, readSeq: 0 })).not.toThrow();
    expect(() => driver.step({ type: 'vote', from: s3, to: s2, term: 2 ** 60, index: 1, logTerm: 1, transfer: true })).not.toThrow();
    expect(droppedCount('raft_core', 'out_of_bounds')).toBe(before.bounds + 2);
    expect(droppedCount('raft_core', 'commit_beyond_log')).toBe(before.beyond + 1);
    expect(fatal()).toBeUndefined();
    expect(node.term).toBe(term);
    expect(node.leader).toBe('');
    driver.stop();
  });
});
