import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelayMs } from '../../src/util/backoff.js';

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 50, maxMs: 250 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([50, 100, 200, 250, 250]);
    b.reset();
    expect(b.next()).toBe(50);
  });

  it('with jitter spreads each delay over [1/2, 3/2) of its nominal value', () => {
    const draws = [0, 0.999, 0.5];
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: () => draws.shift()! });
    expect([b.next(), b.next(), b.next()]).toEqual([50, 299, 400]);
  });
});

describe('backoffDelayMs', () => {
  it('gives the nth delay of the same sequence as Backoff, capped, and stays finite after a long outage', () => {
    const o = { initialMs: 100, maxMs: 2000 };
    const b = new Backoff(o);
    for (let attempt = 1; attempt <= 8; attempt++) expect(backoffDelayMs(attempt, o)).toBe(b.next());
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, o))).toEqual([100, 200, 400, 800, 1600, 2000]);
    expect(backoffDelayMs(10_000, o)).toBe(2000);
    expect(backoffDelayMs(10_000, { initialMs: 0, maxMs: 50 })).toBe(0);
  });
});
