import { describe, expect, it } from 'vitest';
import { nodeId } from '../../src/util/ids.js';
import { Harness } from './harness.js';

describe('leadership transfer (TimeoutNow)', () => {
  it('hands leadership to a caught-up voter at once', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.propose('a', 'x');
    expect(h.node('a').transferLeadership(nodeId('c')).ok).toBe(true);
    h.stabilize();
    expect(h.leaders()).toEqual(['c']);
    expect(h.node('a').leader).toBe('c');
    h.propose('c', 'y');
    expect(h.appliedTexts('a')).toEqual(['x', 'y']);
  });

  it('delays TimeoutNow to a lagging node until it has caught up, refusing proposals meanwhile', () => {
    const h = new Harness(['a', 'b', 'c']);
    h.elect('a');
    h.isolate('c');
    for (let i = 0; i < 5; i++) h.propose('a', `v${i}`);
    expect(h.node('a').transferLeadership(nodeId('c')).ok).toBe(true);
    h.stabilize();
    expect(h.sent.filter((m) => m.type === 'timeoutNow')).toEqual([]);
    expect(h.node('a').propose([new Uint8Array([1])])).toMatchObject({ ok: false, code: 'TRANSFER_IN_PROGRESS' });
    h.heal();
    h.tick('a');
    h.stabilize();
    expect(h.sent.filter((m) => m.type === 'timeoutNow').map((m) => m.to)).toEqual(['c']);
    expect(h.leaders()).toEqual(['c']);
    expect(h.appliedTexts('c')).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
  });

  it('abandons a transfer that cannot finish within an election timeout', () => {
    const h = new Harness(['a', 'b', 'c'], { electionTick: 10 });
    h.elect('a');
    h.isolate('c');
    h.propose('a', 'x');
    expect(h.node('a').transferLeadership(nodeId('c')).ok).toBe(true);
    for (let i = 0; i < 10; i++) {
      h.tick('a');
      h.stabilize();
    }
    expect(h.node('a').status().leadTransferee).toBe('');
    expect(h.node('a').propose([new Uint8Array([1])]).ok).toBe(true);
    expect(h.leaders()).toEqual(['a']);
  });

  it('refuses a target that is not a voter', () => {
    const h = new Harness(['a', 'b'], { learners: ['c'] });
    h.elect('a');
    expect(h.node('a').transferLeadership(nodeId('c'))).toMatchObject({ ok: false, code: 'NOT_A_VOTER' });
    expect(h.node('b').transferLeadership(nodeId('b'))).toMatchObject({ ok: false, code: 'NOT_LEADER', leader: 'a' });
  });

  it('a transfer campaign is not blocked by the leader lease of the voters', () => {
    const h = new Harness(['a', 'b', 'c'], { checkQuorum: true });
    h.elect('a');
    h.node('a').transferLeadership(nodeId('b'));
    h.stabilize();
    // c had just heard from a (in lease), yet it voted for b because a asked for the handover.
    expect(h.leaders()).toEqual(['b']);
  });
});
