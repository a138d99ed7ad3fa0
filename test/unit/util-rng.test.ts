import { describe, expect, it } from 'vitest';
import { seededRng, type Rng } from '../../src/util/rng.js';

const draws = (rng: Rng, count: number): number[] => Array.from({ length: count }, () => rng.next());

describe('seededRng determinism', () => {
  it.each([0, 1, 2, 42, 123456789, 2 ** 32 - 1])('seed %d: the same seed gives the same stream', (seed) => {
    expect(draws(seededRng(seed), 200)).toEqual(draws(seededRng(seed), 200));
  });

  it('nearby seeds give unrelated streams', () => {
    const firsts = Array.from({ length: 50 }, (_, seed) => draws(seededRng(seed), 3).join(','));
    expect(new Set(firsts).size).toBe(50);
    // Not merely shifted copies of one another either.
    const a = draws(seededRng(1), 100);
    const b = new Set(draws(seededRng(2), 100));
    expect(a.filter((x) => b.has(x))).toEqual([]);
  });

  it('next() stays in [0, 1) and is spread out', () => {
    const xs = draws(seededRng(9), 5000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Set(xs).size).toBeGreaterThan(4990);
  });
});

describe('Rng.int and Rng.between', () => {
  it.each([1, 2, 3, 7, 10, 1000])('int(%d) stays in [0, max) and reaches both ends', (max) => {
    const rng = seededRng(max);
    const seen = new Set<number>();
    const values = Array.from({ length: 20_000 }, () => rng.int(max));
    expect(values.filter((v) => !Number.isInteger(v) || v < 0 || v >= max)).toEqual([]);
    for (const v of values) seen.add(v);
    expect(seen.has(0)).toBe(true);
    expect(seen.has(max - 1)).toBe(true);
    if (max <= 10) expect(seen.size).toBe(max);
  });

  it.each([0, -1, Number.NaN])('int(%d) throws a RangeError', (max) => {
    expect(() => seededRng(1).int(max)).toThrow(RangeError);
  });

  it.each([
    [0, 0],
    [5, 5],
    [-3, 3],
    [5, 9],
    [10, 20],
  ])('between(%d, %d) is inclusive at both ends', (min, max) => {
    const rng = seededRng(min * 31 + max);
    const seen = new Set<number>();
    const values = Array.from({ length: 5000 }, () => rng.between(min, max));
    expect(values.filter((v) => !Number.isInteger(v) || v < min || v > max)).toEqual([]);
    for (const v of values) seen.add(v);
    expect(seen.size).toBe(max - min + 1);
  });

  it.each([
    { p: 0, min: 0, max: 0 },
    { p: 1, min: 1000, max: 1000 },
    { p: 0.5, min: 420, max: 580 },
    { p: 0.1, min: 60, max: 140 },
  ])('chance($p) is true about p of the time', ({ p, min, max }) => {
    const rng = seededRng(3);
    let hits = 0;
    for (let i = 0; i < 1000; i++) if (rng.chance(p)) hits++;
    expect(hits).toBeGreaterThanOrEqual(min);
    expect(hits).toBeLessThanOrEqual(max);
  });
});

describe('Rng.pick and Rng.shuffle', () => {
  it('pick returns every element of the array over many draws, and nothing else', () => {
    const rng = seededRng(5);
    const items = ['a', 'b', 'c', 'd'];
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(rng.pick(items));
    expect([...seen].sort()).toEqual(items);
  });

  it('pick on an empty array throws a RangeError', () => {
    expect(() => seededRng(1).pick([])).toThrow(RangeError);
  });

  it.each([0, 1, 2, 5, 50])('shuffle of %d elements is an in-place permutation', (size) => {
    const items = Array.from({ length: size }, (_, i) => i);
    const rng = seededRng(size);
    for (let round = 0; round < 20; round++) {
      const arr = [...items];
      expect(rng.shuffle(arr)).toBe(arr);
      expect([...arr].sort((x, y) => x - y)).toEqual(items);
    }
  });

  it('shuffle actually reorders, and every position can receive every element', () => {
    const rng = seededRng(11);
    const positions = Array.from({ length: 5 }, () => new Set<number>());
    let unchanged = 0;
    for (let round = 0; round < 500; round++) {
      const arr = rng.shuffle([0, 1, 2, 3, 4]);
      if (arr.every((v, i) => v === i)) unchanged++;
      arr.forEach((v, i) => positions[i]!.add(v));
    }
    expect(unchanged).toBeLessThan(25); // 1/120 of 500 expected
    for (const p of positions) expect(p.size).toBe(5);
  });

  it('shuffle is deterministic for a seed', () => {
    const a = seededRng(8).shuffle(Array.from({ length: 20 }, (_, i) => i));
    const b = seededRng(8).shuffle(Array.from({ length: 20 }, (_, i) => i));
    expect(a).toEqual(b);
  });
});

describe('Rng.fork', () => {
  it('is deterministic: the same parent stream forks the same child', () => {
    expect(draws(seededRng(7).fork(), 50)).toEqual(draws(seededRng(7).fork(), 50));
  });

  it('drawing from a child does not disturb the parent', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const childA = a.fork();
    b.fork();
    draws(childA, 100);
    expect(draws(a, 50)).toEqual(draws(b, 50));
  });

  it('a child differs from its parent and from its siblings', () => {
    const parent = seededRng(7);
    const c1 = parent.fork();
    const c2 = parent.fork();
    const p = draws(parent, 20);
    const s1 = draws(c1, 20);
    const s2 = draws(c2, 20);
    expect(s1).not.toEqual(p);
    expect(s1).not.toEqual(s2);
    expect(s2).not.toEqual(p);
    expect(new Set([...p, ...s1, ...s2]).size).toBe(60);
  });

  it('forking advances the parent', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    a.fork();
    expect(a.next()).not.toBe(b.next());
  });
});
