import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/util/rng.js';
import { EventQueue } from '../sim/event-queue.js';

function drain<T>(q: EventQueue<T>): { at: number; event: T }[] {
  const out: { at: number; event: T }[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
  return out;
}

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue<string>();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it.each<{ name: string; pushes: [number, string][]; order: string[] }>([
    { name: 'ascending pushes', pushes: [[1, 'a'], [2, 'b'], [3, 'c']], order: ['a', 'b', 'c'] },
    { name: 'descending pushes', pushes: [[3, 'c'], [2, 'b'], [1, 'a']], order: ['a', 'b', 'c'] },
    { name: 'mixed pushes', pushes: [[5, 'e'], [1, 'a'], [4, 'd'], [2, 'b'], [3, 'c']], order: ['a', 'b', 'c', 'd', 'e'] },
    { name: 'equal times: FIFO', pushes: [[7, 'x'], [7, 'y'], [7, 'z']], order: ['x', 'y', 'z'] },
    { name: 'equal times interleaved with others', pushes: [[2, 'b1'], [1, 'a1'], [2, 'b2'], [3, 'c'], [1, 'a2'], [2, 'b3']], order: ['a1', 'a2', 'b1', 'b2', 'b3', 'c'] },
    { name: 'negative and fractional times', pushes: [[0.5, 'h'], [-1, 'n'], [0, 'z'], [0.25, 'q']], order: ['n', 'z', 'q', 'h'] },
  ])('$name', ({ pushes, order }) => {
    const q = new EventQueue<string>();
    for (const [at, ev] of pushes) q.push(at, ev);
    expect(q.size).toBe(pushes.length);
    expect(drain(q).map((e) => e.event)).toEqual(order);
    expect(q.size).toBe(0);
  });

  it('pop returns the time with the event, and peekTime the earliest time', () => {
    const q = new EventQueue<string>();
    q.push(30, 'late');
    q.push(10, 'early');
    expect(q.peekTime()).toBe(10);
    expect(q.pop()).toEqual({ at: 10, event: 'early' });
    expect(q.peekTime()).toBe(30);
    expect(q.size).toBe(1);
  });

  it('keeps FIFO among equal times when pops and pushes interleave', () => {
    const q = new EventQueue<string>();
    q.push(5, 'a');
    q.push(5, 'b');
    q.push(1, 'first');
    expect(q.pop()?.event).toBe('first');
    q.push(5, 'c');
    q.push(5, 'd');
    expect(drain(q).map((e) => e.event)).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([1, 2, 3, 4, 5])('seed %d: random pushes and pops match a sorted reference', (seed) => {
    const rng = seededRng(seed);
    const q = new EventQueue<number>();
    // The reference: pending events, kept sorted by (time, insertion order) with a stable sort.
    let pending: { at: number; event: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      // Few distinct times, so that ties are frequent.
      const at = rng.int(50);
      q.push(at, i);
      pending.push({ at, event: i });
      if (rng.chance(0.3)) {
        pending = pending.sort((x, y) => x.at - y.at);
        expect(q.peekTime()).toBe(pending[0]!.at);
        expect(q.pop()).toEqual(pending.shift());
      }
      expect(q.size).toBe(pending.length);
    }
    expect(drain(q)).toEqual(pending.sort((x, y) => x.at - y.at));
  });

  it('a batch of random pushes drains in (time, insertion) order', () => {
    const rng = seededRng(99);
    const q = new EventQueue<number>();
    const pushed: { at: number; event: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const at = rng.int(100);
      q.push(at, i);
      pushed.push({ at, event: i });
    }
    const want = [...pushed].sort((x, y) => x.at - y.at || x.event - y.event);
    expect(drain(q)).toEqual(want);
  });
});
