import { describe, expect, it } from 'vitest';
import { LeaderDeadlines } from '../../src/server/leader-deadlines.js';
import { decodeIds, encodeIds } from '../../src/server/lease-runtime.js';

function setup(extendMs = 800): { clock: { t: number }; d: LeaderDeadlines<string> } {
  const clock = { t: 1000 };
  return { clock, d: new LeaderDeadlines<string>(() => clock.t, extendMs) };
}

describe('LeaderDeadlines', () => {
  it('a new leader starts every loaded item at its full TTL plus the extension', async () => {
    const { clock, d } = setup(800);
    await d.promote(async () => [
      ['a', 1000],
      ['b', 5000],
    ]);
    expect(d.remainingMs('a')).toBe(1800);
    clock.t += 1799;
    expect(d.due(10)).toEqual([]);
    clock.t += 1;
    expect(d.due(10)).toEqual(['a']);
    expect(d.due(10)).toEqual([]); // already expiring: not due twice
    expect(d.remainingMs('b')).toBe(4000);
  });

  it('renewal restarts the TTL; an expiring item cannot be renewed until its expiry fails', async () => {
    const { clock, d } = setup(0);
    await d.promote(async () => [['a', 1000]]);
    clock.t += 900;
    expect(d.renew('a')).toBe(true);
    clock.t += 900;
    expect(d.due(10)).toEqual([]);
    clock.t += 100;
    expect(d.due(10)).toEqual(['a']);
    expect(d.renew('a')).toBe(false);
    d.retry('a');
    expect(d.renew('a')).toBe(true);
    expect(d.renew('unknown')).toBe(false);
  });

  it('changes applied while loading are replayed over the loaded state, in order', async () => {
    const { d } = setup(100);
    let finish!: (v: [string, number][]) => void;
    const loading = d.promote(() => new Promise((r) => (finish = r)));
    expect(d.isReady).toBe(false);
    d.track('new', 2000);
    d.forget('gone');
    d.track('gone-then-back', 300);
    finish([
      ['gone', 1000],
      ['kept', 1000],
    ]);
    await loading;
    expect(d.isReady).toBe(true);
    expect([d.remainingMs('new'), d.remainingMs('gone'), d.remainingMs('kept'), d.remainingMs('gone-then-back')]).toEqual([2100, undefined, 1100, 400]);
  });

  it('renewals wait for the load; a demotion rejects them and forgets everything', async () => {
    const { d } = setup();
    let finish!: (v: [string, number][]) => void;
    void d.promote(() => new Promise((r) => (finish = r)));
    const waiting = d.whenReady(5000);
    d.demote();
    await expect(waiting).rejects.toMatchObject({ code: 'NOT_LEADER' });
    finish([['late', 1000]]); // a load of the old term lands after the demotion: ignored
    await new Promise((r) => setImmediate(r));
    expect(d.size).toBe(0);
    expect(d.isReady).toBe(false);
    await expect(d.whenReady(10)).rejects.toMatchObject({ code: 'NOT_LEADER' });
  });

  it('a renewal waiting for a slow load times out with UNAVAILABLE', async () => {
    const { d } = setup();
    void d.promote(() => new Promise(() => undefined));
    await expect(d.whenReady(20)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('a follower tracks nothing', () => {
    const { d } = setup();
    d.track('x', 1000);
    expect(d.size).toBe(0);
    expect(d.due(10)).toEqual([]);
  });

  it('due() honours its limit and leaves the rest for the next check', async () => {
    const { clock, d } = setup(0);
    await d.promote(async () => [
      ['a', 10],
      ['b', 10],
      ['c', 10],
    ]);
    clock.t += 10;
    expect(d.due(2)).toEqual(['a', 'b']);
    expect(d.due(2)).toEqual(['c']);
  });
});

describe('lease id batches', () => {
  it('round-trip int64 ids and refuse a torn list', () => {
    const ids = [1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)];
    expect(decodeIds(encodeIds(ids))).toEqual(ids);
    expect(() => decodeIds(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'BAD_COMMAND' }));
  });
});
