import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

/** Leader election: §5.2 of the Raft paper, Pre-Vote (§9.6) and CheckQuorum (§6.2). */
describe('leader election', () => {
  it('a single-voter cluster elects itself and commits without any peer', () => {
    const h = new Harness(['a']);
    h.elect('a');
    expect(h.leaders()).toEqual(['a']);
    h.propose('a', 'x');
    expect(h.appliedTexts('a')).toEqual(['x']);
  });

  it('a candidate with votes from a majority becomes leader; the others follow it', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('b');
    expect(h.leaders()).toEqual(['b']);
    for (const id of ['a', 'c']) {
      expect(h.node(id).status()).toMatchObject({ role: 'follower', leader: 'b', term: h.node('b').term });
    }
  });

  it('a follower refuses proposals and names the leader so the caller can forward', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    const res = h.node('c').propose([new Uint8Array([1])]);
    expect(res).toMatchObject({ ok: false, code: 'NOT_LEADER', leader: 'a' });
  });

  it('an election timeout is randomized in [electionTick, 2 * electionTick)', () => {
    const firstCampaignTick = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const h = new Harness(['a', 'b', 'c'], { seed, electionTick: 10 });
      let ticks = 0;
      while (h.node('a').role === 'follower') {
        h.tick('a');
        ticks++;
        expect(ticks).toBeLessThan(20);
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      firstCampaignTick.add(ticks);
    }
    expect(firstCampaignTick.size).toBeGreaterThan(3); // really random, not a constant
  });

  it('a node votes for at most one candidate per term, and the vote survives a restart', () => {
    const h = new Harness(['a', 'b', 'c'], { preVote: false });
    h.node('a').campaign();
    h.node('b').campaign();
    // c hears a first and votes for it; b's request in the same term is rejected.
    h.deliverMatching((m) => m.to === 'c' && m.from === 'a');
    h.restart('c');
    h.deliverMatching((m) => m.to === 'c' && m.from === 'b');
    const answers = h.sent.filter((m) => m.from === 'c' && m.type === 'voteResp');
    expect(answers.map((m) => [m.to, m.type === 'voteResp' && m.reject])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('a candidate whose log is behind gets no votes (§5.4.1)', () => {
    // No leader lease and no Pre-Vote: only the log comparison stands between c and the votes.
    const h = new Harness(['a', 'b', 'c'], { preVote: false, checkQuorum: false });
    h.elect('a');
    h.isolate('c');
    h.propose('a', 'x');
    h.heal();
    h.elect('c');
    expect(h.leaders()).not.toContain('c');
    const grants = h.sent.filter((m) => m.to === 'c' && m.type === 'voteResp' && !m.reject);
    expect(grants).toEqual([]);
  });
});

describe('Pre-Vote', () => {
  it('a node rejoining after a partition does not depose a healthy leader', () => {
    const h = new Harness(['a', 'b', 'c'], { preVote: true, checkQuorum: true });
    h.elect('a');
    const term = h.node('a').term;
    h.isolate('c');
    for (let i = 0; i < 100; i++) {
      h.tick('c');
      h.tick('a');
      h.stabilize();
    }
    // Alone, c never wins a rehearsal, so it never moved to a new term.
    expect(h.node('c').term).toBe(term);
    h.heal();
    for (let i = 0; i < 5; i++) {
      h.tick('a');
      h.stabilize();
    }
    expect(h.leaders()).toEqual(['a']);
    expect(h.node('a').term).toBe(term);
    expect(h.node('c').leader).toBe('a');
  });

  it('without Pre-Vote the same rejoining node does disrupt the leader (why Pre-Vote exists)', () => {
    const h = new Harness(['a', 'b', 'c'], { preVote: false, checkQuorum: false });
    h.elect('a');
    const term = h.node('a').term;
    h.isolate('c');
    for (let i = 0; i < 100; i++) h.tick('c');
    h.stabilize();
    expect(h.node('c').term).toBeGreaterThan(term + 2);
    h.heal();
    // c's next campaign carries its inflated term: the healthy leader must step down.
    for (let i = 0; i < 100 && h.node('a').term === term; i++) {
      h.tick('c');
      h.stabilize();
    }
    expect(h.node('a').term).toBeGreaterThan(term + 2);
    expect(h.leaders()).not.toEqual(['a']);
  });

  it('a pre-vote never changes the voter term or vote', () => {
    const h = new Harness(['a', 'b', 'c'], { preVote: true });
    h.node('a').campaign();
    h.deliverMatching((m) => m.type === 'preVote');
    for (const id of ['b', 'c']) expect(h.node(id).status()).toMatchObject({ term: 1, vote: '' });
  });
});

describe('CheckQuorum and the leader lease', () => {
  it('a leader that hears from no quorum for an election timeout steps down', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: true, electionTick: 10 });
    h.elect('a');
    h.isolate('a');
    for (let i = 0; i < 10; i++) {
      expect(h.node('a').role).toBe('leader');
      h.tick('a');
      h.stabilize();
    }
    // After at most two election timeouts (the first round may have seen everyone active).
    for (let i = 0; i < 10 && h.node('a').role === 'leader'; i++) {
      h.tick('a');
      h.stabilize();
    }
    expect(h.node('a').role).toBe('follower');
    expect(h.node('a').leader).toBe('');
  });

  it('a leader that hears from a quorum stays leader', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: true });
    h.elect('a');
    h.isolate('c');
    for (let i = 0; i < 50; i++) {
      h.tick('a');
      h.stabilize();
    }
    expect(h.leaders()).toEqual(['a']);
  });

  it('followers in contact with a leader ignore vote requests from a higher term', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: true, preVote: false });
    h.elect('a');
    const term = h.node('a').term;
    h.isolate('c');
    for (let i = 0; i < 40; i++) h.tick('c'); // c campaigns alone, raising its term
    h.drop(() => true);
    h.heal();
    h.node('c').campaign();
    h.deliverMatching((m) => m.from === 'c' && m.type === 'vote');
    expect(h.sent.filter((m) => m.type === 'voteResp' && m.to === 'c' && m.term > term)).toEqual([]);
    expect(h.node('b').term).toBe(term);
  });
});
