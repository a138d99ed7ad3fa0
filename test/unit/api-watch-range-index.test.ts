import { describe, expect, it } from 'vitest';
import type { KeyRange } from '../../src/api/watch/key-range.js';
import { RangeIndex } from '../../src/api/watch/range-index.js';
import { seededRng } from '../../src/util/rng.js';

const enc = new TextEncoder();
const exact = (s: string): KeyRange => ({ start: enc.encode(s), end: undefined });
const between = (a: string, b: string): KeyRange => ({ start: enc.encode(a), end: enc.encode(b) });

function holding(idx: RangeIndex<string>, key: string): string[] {
  const out: string[] = [];
  idx.forEachHolding(enc.encode(key), (m) => out.push(m));
  return out.sort();
}

describe('RangeIndex', () => {
  it('finds members by exact key and by range, each once', () => {
    const idx = new RangeIndex<string>();
    idx.add('w1', [exact('a')]);
    idx.add('w2', [exact('a')]);
    idx.add('p', [between('a', 'b')]);
    idx.add('multi', [exact('zz'), between('a', 'ab')]);
    expect(holding(idx, 'a')).toEqual(['multi', 'p', 'w1', 'w2']);
    expect(holding(idx, 'aa')).toEqual(['multi', 'p']);
    expect(holding(idx, 'ab')).toEqual(['p']);
    expect(holding(idx, 'b')).toEqual([]);
    expect(holding(idx, 'zz')).toEqual(['multi']);
    expect(idx.size).toBe(4);
  });

  it('forgets deleted members and empty groups; adding twice is once', () => {
    const idx = new RangeIndex<string>();
    idx.add('w1', [exact('a')]);
    idx.add('w1', [exact('a')]);
    idx.add('p', [between('a', 'b')]);
    idx.delete('w1');
    idx.delete('w1');
    expect(holding(idx, 'a')).toEqual(['p']);
    idx.delete('p');
    expect(holding(idx, 'a')).toEqual([]);
    expect(idx.size).toBe(0);
  });

  it.each([1, 2, 3])('seed %d: agrees with checking every member', (seed) => {
    const rng = seededRng(seed);
    const idx = new RangeIndex<string>();
    const all = new Map<string, KeyRange[]>();
    const key = (): string => 'abcd'.slice(0, 1 + Math.floor(rng.next() * 4)).split('').map(() => 'xyz'[Math.floor(rng.next() * 3)]).join('');
    for (let i = 0; i < 400; i++) {
      const id = `m${Math.floor(rng.next() * 60)}`;
      if (rng.next() < 0.3) {
        idx.delete(id);
        all.delete(id);
      } else if (!all.has(id)) {
        const a = key();
        const ranges = rng.next() < 0.5 ? [exact(a)] : [between(a, a + 'z'), ...(rng.next() < 0.3 ? [exact(key())] : [])];
        idx.add(id, ranges);
        all.set(id, ranges);
      }
      const k = key();
      const kb = enc.encode(k);
      const want = [...all].filter(([, rs]) => rs.some((r) => (r.end === undefined ? Buffer.compare(kb, r.start) === 0 : Buffer.compare(kb, r.start) >= 0 && Buffer.compare(kb, r.end) < 0))).map(([id]) => id).sort();
      expect(holding(idx, k)).toEqual(want);
    }
  });
});
