import { describe, expect, it } from 'vitest';
import { Inflights } from '../../src/raft/inflights.js';

type Op = ['add', number] | ['freeLE', number] | ['freeFirstOne'] | ['reset'];

function run(capacity: number, ops: readonly Op[]): { sizes: number[]; full: boolean[] } {
  const inf = new Inflights(capacity);
  const sizes: number[] = [];
  const full: boolean[] = [];
  for (const op of ops) {
    switch (op[0]) {
      case 'add':
        inf.add(op[1]);
        break;
      case 'freeLE':
        inf.freeLE(op[1]);
        break;
      case 'freeFirstOne':
        inf.freeFirstOne();
        break;
      case 'reset':
        inf.reset();
        break;
    }
    sizes.push(inf.size());
    full.push(inf.full());
  }
  return { sizes, full };
}

/** A RosterError with code INVARIANT (a broken internal invariant). */
const invariantError = expect.objectContaining({ name: 'RosterError', code: 'INVARIANT' });

describe('Inflights', () => {
  it.each<{ name: string; capacity: number; ops: Op[]; sizes: number[] }>([
    { name: 'adds count up', capacity: 4, ops: [['add', 1], ['add', 2], ['add', 3]], sizes: [1, 2, 3] },
    { name: 'freeLE below the oldest frees nothing', capacity: 4, ops: [['add', 5], ['add', 8], ['freeLE', 4]], sizes: [1, 2, 2] },
    { name: 'freeLE frees every entry <= index', capacity: 4, ops: [['add', 5], ['add', 8], ['add', 9], ['freeLE', 8]], sizes: [1, 2, 3, 1] },
    { name: 'freeLE between two entries', capacity: 4, ops: [['add', 5], ['add', 8], ['freeLE', 7]], sizes: [1, 2, 1] },
    { name: 'freeLE beyond the newest empties', capacity: 4, ops: [['add', 5], ['add', 8], ['freeLE', 100]], sizes: [1, 2, 0] },
    { name: 'freeLE on empty is a no-op', capacity: 2, ops: [['freeLE', 10]], sizes: [0] },
    { name: 'freeFirstOne frees the oldest only', capacity: 4, ops: [['add', 1], ['add', 2], ['freeFirstOne']], sizes: [1, 2, 1] },
    { name: 'freeFirstOne on empty is a no-op', capacity: 2, ops: [['freeFirstOne'], ['add', 3]], sizes: [0, 1] },
    { name: 'reset empties', capacity: 3, ops: [['add', 1], ['add', 2], ['reset'], ['add', 9]], sizes: [1, 2, 0, 1] },
    {
      name: 'wraps around the ring and keeps order',
      capacity: 3,
      ops: [['add', 1], ['add', 2], ['add', 3], ['freeLE', 2], ['add', 4], ['add', 5], ['freeLE', 3], ['freeLE', 4], ['add', 6], ['add', 7], ['freeLE', 6]],
      sizes: [1, 2, 3, 1, 2, 3, 2, 1, 2, 3, 1],
    },
    {
      name: 'freeFirstOne across the wrap point',
      capacity: 2,
      ops: [['add', 1], ['add', 2], ['freeFirstOne'], ['add', 3], ['freeFirstOne'], ['freeLE', 2], ['freeLE', 3]],
      sizes: [1, 2, 1, 2, 1, 1, 0],
    },
  ])('$name', ({ capacity, ops, sizes }) => {
    expect(run(capacity, ops).sizes).toEqual(sizes);
  });

  it('is full exactly at capacity, and not after a slot is freed', () => {
    const { full } = run(2, [['add', 1], ['add', 2], ['freeFirstOne'], ['add', 3], ['freeLE', 3], ['add', 4], ['add', 5], ['reset']]);
    expect(full).toEqual([false, true, false, true, false, false, true, false]);
  });

  it('after a wrap, freeLE still stops at the first larger entry', () => {
    const inf = new Inflights(3);
    for (const i of [10, 20, 30]) inf.add(i);
    inf.freeLE(20); // start moves to slot 2
    inf.add(40); // slot 0
    inf.add(50); // slot 1
    inf.freeLE(45);
    expect(inf.size()).toBe(1);
    inf.freeLE(49);
    expect(inf.size()).toBe(1);
    inf.freeLE(50);
    expect(inf.size()).toBe(0);
  });

  it('adding to a full window throws an INVARIANT error and keeps the window as it was', () => {
    const inf = new Inflights(2);
    inf.add(1);
    inf.add(2);
    expect(() => inf.add(3)).toThrow(invariantError);
    expect(inf.size()).toBe(2);
    inf.freeLE(1);
    expect(inf.size()).toBe(1);
  });

  it.each([0, -1])('rejects capacity %d', (capacity) => {
    expect(() => new Inflights(capacity)).toThrow(invariantError);
  });
});
