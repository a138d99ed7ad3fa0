import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/util/backoff.js';

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
