import { describe, expect, it } from 'vitest';
import { SelfPreservation } from '../../src/server/self-preservation.js';
import type { MemberView } from '../../src/gossip/member-table.js';
import type { MemberState } from '../../src/gossip/messages.js';

const CFG = { share: 0.25, minPool: 10, windowMs: 60_000, holdMs: 5000 };

const pool = (states: readonly MemberState[]): MemberView[] =>
  states.map((state, i) => ({ name: `m${i}`, addr: `127.0.0.1:${1000 + i}`, incarnation: 1, state, stateChangedAt: 0, meta: { role: 'client', datacenter: 'dc1', rpcAddr: '', apiAddr: '', version: '0' } }));

const states = (alive: number, dead: number, left = 0): MemberState[] => [...Array<MemberState>(alive).fill('alive'), ...Array<MemberState>(dead).fill('dead'), ...Array<MemberState>(left).fill('left')];

describe('self-preservation tells a network fault from a mass death', () => {
  it('enters when over 25% of a pool of 10 or more fail within 60 s, and leaves when the share drops back', () => {
    let now = 0;
    const sp = new SelfPreservation(CFG, { now: () => now });
    expect(sp.observe(pool(states(12, 0)))).toBeUndefined();
    expect(sp.observe(pool(states(9, 3)))).toBeUndefined(); // exactly 25%: not more
    now = 5000;
    expect(sp.observe(pool(states(7, 5)))).toEqual({ active: true, failed: 5, pool: 12 });
    // Time alone does not end it: the members are still gone.
    now = 600_000;
    expect(sp.observe(pool(states(7, 5)))).toBeUndefined();
    expect(sp.active).toBe(true);
    expect(sp.observe(pool(states(9, 3)))).toEqual({ active: false, failed: 3, pool: 12 });
  });

  it('never enters for failures that come slowly, for a single failure, or in a small pool', () => {
    let now = 0;
    const sp = new SelfPreservation(CFG, { now: () => now });
    for (let dead = 1; dead <= 6; dead++) {
      now += 61_000; // one failure a minute
      expect(sp.observe(pool(states(12 - dead, dead)))).toBeUndefined();
    }
    const small = new SelfPreservation(CFG, { now: () => 0 });
    expect(small.observe(pool(states(5, 4)))).toBeUndefined(); // 44% of 9
    expect(small.active).toBe(false);
  });

  it('does not count members that left: a graceful leave is not a failure, and shrinks the pool', () => {
    const sp = new SelfPreservation(CFG, { now: () => 0 });
    expect(sp.observe(pool(states(12, 0, 6)))).toBeUndefined();
    expect(sp.observe(pool(states(8, 4, 6)))).toEqual({ active: true, failed: 4, pool: 12 });
  });
});
