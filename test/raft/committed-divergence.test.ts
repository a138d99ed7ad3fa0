import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/raft/index.js';
import { nodeId } from '../../src/util/ids.js';
import { isRosterError } from '../../src/util/errors.js';
import { Harness } from './harness.js';

/** An append from a leader whose log differs from s2's at `index` (which s2 has committed). */
function foreignAppend(h: Harness, index: number, entries: { index: number; term: number }[] = []): Message {
  return { type: 'app', from: nodeId('s3'), to: nodeId('s2'), term: h.node('s2').term + 3, index, logTerm: 99, entries: entries.map((e) => ({ ...e, kind: 'normal' as const, data: new Uint8Array() })), commit: index };
}

describe('a follower whose committed log disagrees with the leader (another history)', () => {
  const committedCluster = (): Harness => {
    const h = new Harness(['s1', 's2', 's3']);
    h.elect('s1');
    h.propose('s1', 'a', 'b');
    h.stabilize();
    expect(h.node('s2').commitIndex).toBe(4);
    return h;
  };

  it('refuses with LOG_DIVERGED and advice, and keeps its committed entries', () => {
    const h = committedCluster();
    const before = [2, 3, 4].map((i) => h.node('s2').termAt(i));
    let thrown: unknown;
    try {
      h.node('s2').step(foreignAppend(h, 3));
    } catch (err) {
      thrown = err;
    }
    expect(isRosterError(thrown, 'LOG_DIVERGED')).toBe(true);
    expect(String(thrown)).toMatch(/has term 99 at index 3, which this server committed with term 2: .*Move it aside and rejoin as a new member \(operator raft remove-peer s2/);
    expect([2, 3, 4].map((i) => h.node('s2').termAt(i))).toEqual(before);
  });

  it('also when the disagreement is in the entries of an append below the commit index', () => {
    const h = committedCluster();
    const m = { ...foreignAppend(h, 2, [{ index: 3, term: 99 }]), logTerm: h.node('s2').termAt(2)! } as Message;
    expect(() => h.node('s2').step(m)).toThrow(/at index 3, which this server committed/);
  });

  it('an append that agrees with the committed prefix is accepted as before', () => {
    const h = committedCluster();
    const t = h.node('s2').termAt(3)!;
    const m = { ...foreignAppend(h, 3), logTerm: t } as Message;
    expect(() => h.node('s2').step(m)).not.toThrow();
  });
});
