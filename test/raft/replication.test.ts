import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/raft/index.js';
import { Harness } from './harness.js';

const appTo = (to: string) => (m: Message) => m.type === 'app' && m.to === to;

describe('commitment: the Figure 8 rule (§5.4.2)', () => {
  /**
   * Figure 8 of the Raft paper, on five servers. Entry 3 of term 2 reaches a majority while
   * its leader leads term 4; counting those replicas would commit it, yet s5 (whose entry 3 is
   * of term 3) could still be elected and overwrite it. The leader must wait until an entry of
   * its own term is on a majority.
   */
  it('a leader does not commit an entry of an earlier term by counting its replicas', () => {
    const h = new Harness(['s1', 's2', 's3', 's4', 's5'], { preVote: false, checkQuorum: false, maxSizePerMsg: 1 });
    h.elect('s1'); // term 2; the no-op is index 2
    expect(h.node('s1').term).toBe(2);

    // (a) s1 replicates entry 3 (term 2) to s2 only.
    h.isolate('s1');
    expect(h.node('s1').propose([new Uint8Array([3])]).ok).toBe(true);
    h.processAll();
    h.heal();
    h.deliverMatching(appTo('s2'));
    h.drop(() => true);
    expect(h.node('s2').termAt(3)).toBe(2);

    // (b) s1 crashes; s5 wins term 3 with votes from s3 and s4 and appends entry 3 (term 3)
    // that nobody receives.
    h.restart('s1');
    h.isolate('s1');
    h.isolate('s2');
    h.node('s5').campaign();
    h.deliverMatching((m) => m.type === 'vote' || m.type === 'voteResp');
    expect(h.node('s5').status()).toMatchObject({ role: 'leader', term: 3 });
    h.drop(() => true);
    expect(h.node('s3').termAt(3)).toBeUndefined();
    expect(h.node('s5').termAt(3)).toBe(3);

    // (c) s5 is cut off; s1 wins term 4 (s2, s3 vote) and re-replicates entry 3 of term 2 to s3,
    // but its own no-op (entry 4, term 4) does not get out.
    h.heal();
    h.isolate('s5');
    h.isolate('s4');
    // s1 first learns of term 3 (s3 rejects it there), then wins term 4.
    for (let i = 0; i < 2 && h.node('s1').role !== 'leader'; i++) {
      h.node('s1').campaign();
      h.deliverMatching((m) => m.type === 'vote' || m.type === 'voteResp');
    }
    expect(h.node('s1').status()).toMatchObject({ role: 'leader', term: 4 });
    // s3 may see the first probe (it lacks entry 3, so it rejects it) and entry 3 itself, never
    // entry 4; s2 may receive everything.
    const withholdNoop = (m: Message): boolean =>
      m.type === 'appResp' ||
      (m.type === 'app' && (m.to !== 's3' || m.entries.every((e) => e.index <= 3) || h.node('s3').termAt(3) === undefined));
    h.deliverMatching(withholdNoop);
    h.drop(() => true);
    expect([h.node('s2').termAt(3), h.node('s3').termAt(3)]).toEqual([2, 2]);
    expect(h.node('s3').termAt(4)).toBeUndefined();

    // Entry 3 is on s1, s2, s3 — a majority — but it is of term 2: it must not be committed.
    expect(h.node('s1').commitIndex).toBe(2);

    // (d) Once entry 4 of term 4 is on a majority, both commit together. (The withheld append
    // was lost; the next heartbeat round resends it.)
    h.tick('s1');
    h.stabilize();
    expect(h.node('s1').commitIndex).toBeGreaterThanOrEqual(4);
    // s5 (restarted: in the paper it had crashed) can no longer win: a majority holds a log
    // with a later term than its entry 3.
    h.restart('s5');
    h.heal();
    h.elect('s5');
    expect(h.node('s5').role).not.toBe('leader');
    expect(h.node('s1').termAt(3)).toBe(2);
  });
});

describe('log replication', () => {
  it('replicates and applies proposals on every node, in order', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x', 'y');
    h.propose('a', 'z');
    for (const id of ['a', 'b', 'c']) expect(h.appliedTexts(id)).toEqual(['x', 'y', 'z']);
  });

  it('batches all proposals made between two Readies into one append per follower', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    const before = h.sent.length;
    for (let i = 0; i < 50; i++) expect(h.node('a').propose([new Uint8Array([i])]).ok).toBe(true);
    h.stabilize();
    const appends = h.sent.slice(before).filter((m) => m.type === 'app' && m.entries.length > 0);
    expect(appends.map((m) => [m.to, m.type === 'app' ? m.entries.length : 0])).toEqual([
      ['b', 50],
      ['c', 50],
    ]);
  });

  it('pipelines appends to a follower in replicate state up to the inflight limit', () => {
    const h = new Harness(['a', 'b'], { maxSizePerMsg: 1, maxInflightMsgs: 3 });
    h.elect('a');
    for (let i = 0; i < 5; i++) h.node('a').propose([new Uint8Array([i])]);
    h.processAll();
    // Three one-entry appends are in flight, unanswered; the rest waits for acknowledgements.
    expect(h.queue.filter(appTo('b')).map((m) => (m.type === 'app' ? m.entries[0]!.index : 0))).toEqual([3, 4, 5]);
    h.stabilize();
    expect(h.appliedTexts('b')).toHaveLength(5);
  });

  it('skips a whole conflicting term per round trip using the rejection hint', () => {
    const h = new Harness(['a', 'b', 'c'], { preVote: false, checkQuorum: false });
    h.elect('a');
    // b, cut off while leading term 3, appends 20 entries nobody else gets.
    h.isolate('b');
    h.node('b').campaign();
    h.node('b').campaign(); // twice: no peer answers, so it needs its own term
    h.heal();
    h.isolate('a');
    h.elect('b');
    h.isolate('b');
    for (let i = 0; i < 20; i++) h.node('b').propose([new Uint8Array([i])]);
    h.drop(() => true);
    h.heal();
    h.isolate('b');
    h.elect('c'); // c leads a later term without b's entries, and appends 20 of its own
    for (let i = 0; i < 20; i++) h.propose('c', `c${i}`);
    h.heal();
    const before = h.sent.length;
    h.propose('c', 'new');
    h.tick('c'); // the heartbeat reaches b and restarts probing
    h.stabilize();
    const rejections = h.sent.slice(before).filter((m) => m.type === 'appResp' && m.from === 'b' && m.reject);
    // Without the hint b would reject once per conflicting entry (20 times).
    expect(rejections.length).toBeLessThanOrEqual(2);
    expect(h.appliedTexts('b')).toContain('new');
  });

  it('a follower that lost its unacknowledged tail is repaired from the heartbeat response', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.node('a').propose([new Uint8Array([1])]);
    // Every append to c is lost, including the one announcing the new commit index; the
    // leader still believes the entry in flight to c.
    h.deliverMatching((m) => !appTo('c')(m));
    h.drop(appTo('c'));
    expect(h.node('c').status().lastIndex).toBeLessThan(h.node('a').status().lastIndex);
    h.tick('a'); // heartbeat, answered; the leader notices c is behind and resends
    h.stabilize();
    expect(h.node('c').status().lastIndex).toBe(h.node('a').status().lastIndex);
  });

  it('ignores duplicated and reordered messages', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    for (let i = 0; i < 3; i++) {
      h.node('a').propose([new Uint8Array([i])]);
      h.processAll();
    }
    const queued = h.queue.slice();
    h.queue = [...queued.reverse(), ...queued]; // every message twice, first in reverse order
    h.stabilize();
    for (const id of ['a', 'b', 'c']) expect(h.get(id).applied.filter((e) => e.data.length > 0)).toHaveLength(3);
  });
});

describe('snapshots', () => {
  it('a follower behind the compacted log receives and installs a snapshot', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.isolate('c');
    for (let i = 0; i < 10; i++) h.propose('a', `v${i}`);
    const leader = h.get('a');
    const applied = leader.node.status().applied;
    leader.storage.createSnapshot(applied, leader.node.confStateAt(applied), new TextEncoder().encode('state@' + applied));
    leader.storage.compact(applied);
    h.heal();
    h.tick('a');
    h.stabilize();
    const snaps = h.sent.filter((m) => m.type === 'snap' && m.to === 'c');
    expect(snaps).toHaveLength(1);
    expect(h.get('c').storage.snapshot().meta.index).toBe(applied);
    h.propose('a', 'after');
    expect(h.appliedTexts('c')).toEqual(['after']); // everything before came in the snapshot
    expect(h.node('c').commitIndex).toBe(h.node('a').commitIndex);
  });

  it('a lost snapshot is retried once the transport reports the failure', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.isolate('c');
    for (let i = 0; i < 5; i++) h.propose('a', `v${i}`);
    const leader = h.get('a');
    const applied = leader.node.status().applied;
    leader.storage.createSnapshot(applied, leader.node.confStateAt(applied), new Uint8Array(0));
    leader.storage.compact(applied);
    h.heal();
    h.tick('a');
    h.deliverMatching((m) => m.type !== 'snap');
    h.drop((m) => m.type === 'snap');
    h.node('a').reportSnapshot(h.get('c').id, false);
    h.tick('a');
    h.stabilize();
    expect(h.sent.filter((m) => m.type === 'snap' && m.to === 'c')).toHaveLength(2);
    expect(h.get('c').storage.snapshot().meta.index).toBe(applied);
  });
});
