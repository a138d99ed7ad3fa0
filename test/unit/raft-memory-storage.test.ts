import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/raft/memory-storage.js';
import { EMPTY_CONF, type ConfState, type Entry, type Snapshot } from '../../src/raft/types.js';
import { NO_NODE, type NodeId } from '../../src/util/ids.js';

const ent = (index: number, term: number, size = 0): Entry => ({ term, index, kind: 'normal', data: new Uint8Array(size) });
const ents = (from: number, ...terms: number[]): Entry[] => terms.map((t, i) => ent(from + i, t));
const CONF: ConfState = { voters: ['a', 'b', 'c'] as NodeId[], learners: ['d'] as NodeId[] };
const snap = (index: number, term: number, conf: ConfState = CONF): Snapshot => ({ meta: { index, term, conf }, data: new Uint8Array([index]) });

/** A RosterError with code INVARIANT (a broken internal invariant). */
const invariantError = expect.objectContaining({ name: 'RosterError', code: 'INVARIANT' });

/** Entries 1..terms.length; with `compactTo`, snapshotted and compacted up to it. */
function storage(terms: number[], compactTo = 0): MemoryStorage {
  const s = new MemoryStorage();
  s.append(ents(1, ...terms));
  if (compactTo > 0) {
    s.createSnapshot(compactTo, CONF, new Uint8Array(0));
    s.compact(compactTo);
  }
  return s;
}

/** [index, term] of every entry from the compaction point to the end. */
function dump(s: MemoryStorage): [number, number][] {
  const out: [number, number][] = [];
  for (let i = s.firstIndex() - 1; i <= s.lastIndex(); i++) out.push([i, s.term(i) ?? -1]);
  return out;
}

describe('MemoryStorage: a new storage', () => {
  it('is empty, with term 0 at index 0 and an empty hard state', () => {
    const s = new MemoryStorage();
    expect(s.firstIndex()).toBe(1);
    expect(s.lastIndex()).toBe(0);
    expect(s.term(0)).toBe(0);
    expect(s.term(1)).toBeUndefined();
    expect(s.entries(1, 1)).toEqual([]);
    expect(s.initialState()).toEqual({ hardState: { term: 0, vote: NO_NODE, commit: 0 }, conf: EMPTY_CONF, snapshotIndex: 0 });
    expect(s.snapshot().meta.index).toBe(0);
  });

  it('returns the hard state it was given', () => {
    const s = new MemoryStorage();
    const hs = { term: 4, vote: 'b' as NodeId, commit: 3 };
    s.setHardState(hs);
    expect(s.initialState().hardState).toEqual(hs);
  });

  it('bootstrap starts from the founding snapshot at index 1, term 1', () => {
    const s = MemoryStorage.bootstrap(CONF);
    expect(s.firstIndex()).toBe(2);
    expect(s.lastIndex()).toBe(1);
    expect(s.term(1)).toBe(1);
    expect(s.term(0)).toBeUndefined();
    expect(s.initialState()).toEqual({ hardState: { term: 1, vote: NO_NODE, commit: 1 }, conf: CONF, snapshotIndex: 1 });
    expect(s.snapshot().meta).toEqual({ index: 1, term: 1, conf: CONF });
    s.append(ents(2, 2));
    expect(dump(s)).toEqual([[1, 1], [2, 2]]);
  });
});

describe('MemoryStorage.append', () => {
  // Before each case: entries 1..5 with terms 1 1 2 2 3, compacted up to 2.
  it.each<{ name: string; append: Entry[]; want: [number, number][] }>([
    { name: 'nothing', append: [], want: [[2, 1], [3, 2], [4, 2], [5, 3]] },
    { name: 'after the last entry', append: ents(6, 3, 4), want: [[2, 1], [3, 2], [4, 2], [5, 3], [6, 3], [7, 4]] },
    { name: 'overlap with the same terms', append: ents(4, 2, 3), want: [[2, 1], [3, 2], [4, 2], [5, 3]] },
    { name: 'overlap truncates the suffix', append: ents(4, 5), want: [[2, 1], [3, 2], [4, 5]] },
    { name: 'overlap extends past the end', append: ents(3, 4, 4, 4, 4), want: [[2, 1], [3, 4], [4, 4], [5, 4], [6, 4]] },
    { name: 'partly compacted input: the compacted part is skipped', append: ents(1, 1, 1, 2, 9), want: [[2, 1], [3, 2], [4, 9]] },
    { name: 'input from the compaction point keeps its term', append: ents(2, 7, 8), want: [[2, 1], [3, 8]] },
    { name: 'wholly compacted input is ignored', append: ents(1, 6, 6), want: [[2, 1], [3, 2], [4, 2], [5, 3]] },
  ])('$name', ({ append, want }) => {
    const s = storage([1, 1, 2, 2, 3], 2);
    s.append(append);
    expect(dump(s)).toEqual(want);
  });

  it('rejects a gap with an INVARIANT error and keeps its entries', () => {
    const s = storage([1, 1, 2, 2, 3], 2);
    expect(() => s.append(ents(7, 4))).toThrow(invariantError);
    expect(dump(s)).toEqual([[2, 1], [3, 2], [4, 2], [5, 3]]);
  });

  it('keeps entries it returned earlier intact when a later append truncates', () => {
    const s = storage([1, 1, 2]);
    const before = s.entries(1, 4);
    s.append(ents(2, 5));
    expect(before.map((e) => e.term)).toEqual([1, 1, 2]);
    expect(s.entries(1, 3).map((e) => e.term)).toEqual([1, 5]);
  });
});

describe('MemoryStorage.term', () => {
  // Entries 1..5 with terms 1 1 2 2 3, compacted up to 2.
  it.each<{ index: number; term: number | undefined }>([
    { index: 0, term: undefined },
    { index: 1, term: undefined },
    { index: 2, term: 1 },
    { index: 3, term: 2 },
    { index: 5, term: 3 },
    { index: 6, term: undefined },
  ])('term($index) -> $term', ({ index, term }) => {
    expect(storage([1, 1, 2, 2, 3], 2).term(index)).toBe(term);
  });
});

describe('MemoryStorage.entries', () => {
  // Payloads 0, 10, 0, 20, 0 bytes: sizes 16, 26, 16, 36, 16.
  const sized = (): MemoryStorage => {
    const s = new MemoryStorage();
    s.append([ent(1, 1, 0), ent(2, 1, 10), ent(3, 1, 0), ent(4, 2, 20), ent(5, 2, 0)]);
    return s;
  };

  it.each<{ lo: number; hi: number; maxBytes: number | undefined; want: number[] }>([
    { lo: 1, hi: 6, maxBytes: undefined, want: [1, 2, 3, 4, 5] },
    { lo: 2, hi: 4, maxBytes: undefined, want: [2, 3] },
    { lo: 6, hi: 6, maxBytes: undefined, want: [] },
    { lo: 1, hi: 6, maxBytes: 0, want: [1] },
    { lo: 1, hi: 6, maxBytes: 16, want: [1] },
    { lo: 1, hi: 6, maxBytes: 41, want: [1] },
    { lo: 1, hi: 6, maxBytes: 42, want: [1, 2] },
    { lo: 1, hi: 6, maxBytes: 58, want: [1, 2, 3] },
    { lo: 1, hi: 6, maxBytes: 110, want: [1, 2, 3, 4, 5] },
    { lo: 4, hi: 6, maxBytes: 10, want: [4] }, // an oversized first entry still comes back
    { lo: 2, hi: 4, maxBytes: 1000, want: [2, 3] },
  ])('entries($lo, $hi, $maxBytes) -> $want', ({ lo, hi, maxBytes, want }) => {
    expect(sized().entries(lo, hi, maxBytes).map((e) => e.index)).toEqual(want);
  });

  it.each([
    { name: 'at the compaction point', lo: 2, hi: 4 },
    { name: 'below the compaction point', lo: 1, hi: 4 },
    { name: 'beyond lastIndex + 1', lo: 3, hi: 7 },
  ])('rejects a range $name', ({ lo, hi }) => {
    expect(() => storage([1, 1, 2, 2, 3], 2).entries(lo, hi)).toThrow(invariantError);
  });
});

describe('MemoryStorage snapshots and compaction', () => {
  it('createSnapshot records index, term, conf and data without compacting', () => {
    const s = storage([1, 1, 2, 2, 3]);
    const data = new Uint8Array([7, 7]);
    const sn = s.createSnapshot(4, CONF, data);
    expect(sn).toEqual({ meta: { index: 4, term: 2, conf: CONF }, data });
    expect(s.snapshot()).toBe(sn);
    expect(s.firstIndex()).toBe(1);
    expect(s.initialState().conf).toBe(CONF);
  });

  it.each([
    { name: 'the same index again', index: 4 },
    { name: 'an older index', index: 3 },
    { name: 'beyond the last index', index: 6 },
  ])('createSnapshot refuses $name', ({ index }) => {
    const s = storage([1, 1, 2, 2, 3]);
    s.createSnapshot(4, CONF, new Uint8Array(0));
    expect(() => s.createSnapshot(index, EMPTY_CONF, new Uint8Array(0))).toThrow(invariantError);
    expect(s.snapshot().meta.index).toBe(4);
  });

  it.each<{ upTo: number; first: number; want: [number, number][] }>([
    { upTo: 3, first: 4, want: [[3, 2], [4, 2], [5, 3]] },
    { upTo: 4, first: 5, want: [[4, 2], [5, 3]] },
    { upTo: 1, first: 2, want: [[1, 1], [2, 1], [3, 2], [4, 2], [5, 3]] },
    { upTo: 0, first: 1, want: [[0, 0], [1, 1], [2, 1], [3, 2], [4, 2], [5, 3]] }, // at the placeholder: no-op
  ])('compact($upTo) with a snapshot at 4', ({ upTo, first, want }) => {
    const s = storage([1, 1, 2, 2, 3]);
    s.createSnapshot(4, CONF, new Uint8Array(0));
    s.compact(upTo);
    expect(s.firstIndex()).toBe(first);
    expect(s.lastIndex()).toBe(5);
    expect(dump(s)).toEqual(want);
  });

  it('compact up to the last index leaves only the placeholder', () => {
    const s = storage([1, 1, 2, 2, 3]);
    s.createSnapshot(5, CONF, new Uint8Array(0));
    s.compact(5);
    expect([s.firstIndex(), s.lastIndex(), s.term(5)]).toEqual([6, 5, 3]);
    expect(s.entries(6, 6)).toEqual([]);
  });

  it('compact below the current compaction point is a no-op', () => {
    const s = storage([1, 1, 2, 2, 3], 3);
    s.compact(2);
    expect(dump(s)).toEqual([[3, 2], [4, 2], [5, 3]]);
  });

  it('compact beyond the snapshot is refused', () => {
    const s = storage([1, 1, 2, 2, 3]);
    s.createSnapshot(3, CONF, new Uint8Array(0));
    expect(() => s.compact(4)).toThrow(invariantError);
    expect(s.firstIndex()).toBe(1);
  });

  it('applySnapshot replaces the whole log', () => {
    const s = storage([1, 1, 2, 2, 3]);
    const sn = snap(10, 4);
    s.applySnapshot(sn);
    expect([s.firstIndex(), s.lastIndex(), s.term(10), s.term(5)]).toEqual([11, 10, 4, undefined]);
    expect(s.snapshot()).toBe(sn);
    expect(s.initialState().conf).toBe(CONF);
    s.append(ents(11, 4, 5));
    expect(dump(s)).toEqual([[10, 4], [11, 4], [12, 5]]);
  });

  it.each([
    { name: 'older', index: 3 },
    { name: 'equal', index: 10 },
  ])('applySnapshot ignores an $name snapshot', ({ index }) => {
    const s = new MemoryStorage();
    const sn = snap(10, 4);
    s.applySnapshot(sn);
    s.append(ents(11, 4));
    s.applySnapshot(snap(index, 9, EMPTY_CONF));
    expect(s.snapshot()).toBe(sn);
    expect(dump(s)).toEqual([[10, 4], [11, 4]]);
  });
});
