import { describe, expect, it } from 'vitest';
import type { Entry, Snapshot } from '../../src/raft/types.js';
import { Unstable } from '../../src/raft/unstable.js';

const ent = (index: number, term: number): Entry => ({ term, index, kind: 'normal', data: new Uint8Array(0) });
/** Entries from index `from` on, with the given terms. */
const ents = (from: number, ...terms: number[]): Entry[] => terms.map((t, i) => ent(from + i, t));
const snap = (index: number, term: number): Snapshot => ({ meta: { index, term, conf: { voters: [], learners: [] } }, data: new Uint8Array(0) });
/** [index, term] pairs: compact to read in tables. */
const ids = (es: readonly Entry[]): [number, number][] => es.map((e) => [e.index, e.term]);

interface Setup {
  offset: number;
  terms?: number[];
  snapshot?: [number, number];
  /** Defaults to offset - 1 (nothing handed out). */
  inProgress?: number;
}

function make(s: Setup): Unstable {
  const u = new Unstable(s.offset);
  if (s.snapshot !== undefined) u.snapshot = snap(s.snapshot[0], s.snapshot[1]);
  u.entries = ents(s.offset, ...(s.terms ?? []));
  if (s.inProgress !== undefined) u.inProgress = s.inProgress;
  return u;
}

/** A RosterError with code INVARIANT (a broken internal invariant). */
const invariantError = expect.objectContaining({ name: 'RosterError', code: 'INVARIANT' });

describe('Unstable index and term queries', () => {
  it.each<{ name: string; setup: Setup; first: number | undefined; last: number | undefined }>([
    { name: 'empty', setup: { offset: 5 }, first: undefined, last: undefined },
    { name: 'entries only', setup: { offset: 5, terms: [1, 1, 2] }, first: undefined, last: 7 },
    { name: 'snapshot only', setup: { offset: 5, snapshot: [4, 1] }, first: 5, last: 4 },
    { name: 'snapshot and entries', setup: { offset: 5, terms: [2, 2], snapshot: [4, 1] }, first: 5, last: 6 },
  ])('$name: maybeFirstIndex $first, maybeLastIndex $last', ({ setup, first, last }) => {
    const u = make(setup);
    expect(u.maybeFirstIndex()).toBe(first);
    expect(u.maybeLastIndex()).toBe(last);
  });

  it.each<{ name: string; setup: Setup; index: number; term: number | undefined }>([
    { name: 'first entry', setup: { offset: 5, terms: [1, 2, 3] }, index: 5, term: 1 },
    { name: 'last entry', setup: { offset: 5, terms: [1, 2, 3] }, index: 7, term: 3 },
    { name: 'beyond the last entry', setup: { offset: 5, terms: [1, 2, 3] }, index: 8, term: undefined },
    { name: 'below offset, no snapshot', setup: { offset: 5, terms: [1, 2, 3] }, index: 4, term: undefined },
    { name: 'the snapshot index', setup: { offset: 5, terms: [2], snapshot: [4, 1] }, index: 4, term: 1 },
    { name: 'below the snapshot index', setup: { offset: 5, terms: [2], snapshot: [4, 1] }, index: 3, term: undefined },
    { name: 'snapshot only, at offset', setup: { offset: 5, snapshot: [4, 1] }, index: 5, term: undefined },
    { name: 'empty', setup: { offset: 5 }, index: 5, term: undefined },
  ])('maybeTerm: $name', ({ setup, index, term }) => {
    expect(make(setup).maybeTerm(index)).toBe(term);
  });
});

describe('Unstable.truncateAndAppend', () => {
  // Before each case: offset 5, entries 5..7 all of term 1.
  it.each<{ name: string; inProgress: number; append: Entry[]; offset: number; entries: [number, number][]; wantInProgress: number }>([
    { name: 'directly after the last entry: appends', inProgress: 7, append: ents(8, 2, 2), offset: 5, entries: [[5, 1], [6, 1], [7, 1], [8, 2], [9, 2]], wantInProgress: 7 },
    { name: 'appending keeps a partial inProgress', inProgress: 6, append: ents(8, 2), offset: 5, entries: [[5, 1], [6, 1], [7, 1], [8, 2]], wantInProgress: 6 },
    { name: 'at offset: replaces everything', inProgress: 7, append: ents(5, 2), offset: 5, entries: [[5, 2]], wantInProgress: 4 },
    { name: 'below offset: replaces everything and moves offset back', inProgress: 7, append: ents(3, 2, 2), offset: 3, entries: [[3, 2], [4, 2]], wantInProgress: 2 },
    { name: 'below offset with nothing in progress', inProgress: 4, append: ents(3, 2), offset: 3, entries: [[3, 2]], wantInProgress: 2 },
    { name: 'in the middle: truncates the suffix', inProgress: 7, append: ents(6, 3, 3, 3), offset: 5, entries: [[5, 1], [6, 3], [7, 3], [8, 3]], wantInProgress: 5 },
    { name: 'in the middle, at the last entry', inProgress: 7, append: ents(7, 3), offset: 5, entries: [[5, 1], [6, 1], [7, 3]], wantInProgress: 6 },
    { name: 'in the middle, above inProgress: inProgress stays', inProgress: 5, append: ents(7, 3), offset: 5, entries: [[5, 1], [6, 1], [7, 3]], wantInProgress: 5 },
    { name: 'in the middle, nothing in progress', inProgress: 4, append: ents(6, 3), offset: 5, entries: [[5, 1], [6, 3]], wantInProgress: 4 },
  ])('$name', ({ inProgress, append, offset, entries, wantInProgress }) => {
    const u = make({ offset: 5, terms: [1, 1, 1], inProgress });
    u.truncateAndAppend(append);
    expect(u.offset).toBe(offset);
    expect(ids(u.entries)).toEqual(entries);
    expect(u.inProgress).toBe(wantInProgress);
  });

  it('does not alias the caller array when it replaces everything', () => {
    const u = make({ offset: 5, terms: [1] });
    const input = ents(5, 2, 2);
    u.truncateAndAppend(input);
    input.pop();
    expect(ids(u.entries)).toEqual([[5, 2], [6, 2]]);
  });

  it('rejects a gap after the last entry with an INVARIANT error', () => {
    const u = make({ offset: 5, terms: [1, 1, 1] });
    expect(() => u.truncateAndAppend(ents(9, 2))).toThrow(invariantError);
    expect(ids(u.entries)).toEqual([[5, 1], [6, 1], [7, 1]]);
  });
});

describe('Unstable handing entries out', () => {
  it('newEntries and acceptInProgress track what the driver has been given', () => {
    const u = make({ offset: 5, terms: [1, 1, 1] });
    expect(u.hasNewEntries()).toBe(true);
    expect(ids(u.newEntries())).toEqual([[5, 1], [6, 1], [7, 1]]);

    u.acceptInProgress();
    expect(u.inProgress).toBe(7);
    expect(u.hasNewEntries()).toBe(false);
    expect(u.newEntries()).toEqual([]);

    u.truncateAndAppend(ents(8, 1, 1));
    expect(ids(u.newEntries())).toEqual([[8, 1], [9, 1]]);

    // A new leader overwrites from 6: the replacements must be handed out again.
    u.truncateAndAppend(ents(6, 2));
    expect(u.hasNewEntries()).toBe(true);
    expect(ids(u.newEntries())).toEqual([[6, 2]]);

    u.acceptInProgress();
    expect(u.inProgress).toBe(6);
    expect(u.newEntries()).toEqual([]);
  });

  it.each<{ name: string; setup: Setup; want: [number, number][] }>([
    { name: 'nothing handed out', setup: { offset: 5, terms: [1, 2, 3] }, want: [[5, 1], [6, 2], [7, 3]] },
    { name: 'partly handed out', setup: { offset: 5, terms: [1, 2, 3], inProgress: 5 }, want: [[6, 2], [7, 3]] },
    { name: 'all handed out', setup: { offset: 5, terms: [1, 2, 3], inProgress: 7 }, want: [] },
    { name: 'no entries', setup: { offset: 5 }, want: [] },
  ])('newEntries: $name', ({ setup, want }) => {
    const u = make(setup);
    expect(ids(u.newEntries())).toEqual(want);
    expect(u.hasNewEntries()).toBe(want.length > 0);
  });

  it('acceptInProgress with no entries leaves inProgress alone', () => {
    const u = make({ offset: 5 });
    u.acceptInProgress();
    expect(u.inProgress).toBe(4);
  });

  it('a snapshot is new until accepted, and gone once stable', () => {
    const u = new Unstable(1);
    const s = snap(10, 3);
    u.restore(s);
    expect(u.newSnapshot()).toBe(s);
    u.acceptInProgress();
    expect(u.snapshotInProgress).toBe(true);
    expect(u.newSnapshot()).toBeUndefined();
    expect(u.snapshot).toBe(s);
    u.stableSnapTo(10);
    expect(u.snapshot).toBeUndefined();
    expect(u.snapshotInProgress).toBe(false);
  });
});

describe('Unstable.stableTo', () => {
  // Before each case: offset 5, entries 5..7 with terms 1, 2, 2.
  it.each<{ name: string; inProgress: number; snapshot?: [number, number]; index: number; term: number; offset: number; entries: [number, number][]; wantInProgress: number }>([
    { name: 'matching term: drops up to index', inProgress: 7, index: 6, term: 2, offset: 7, entries: [[7, 2]], wantInProgress: 7 },
    { name: 'matching term at the last entry: drops all', inProgress: 7, index: 7, term: 2, offset: 8, entries: [], wantInProgress: 7 },
    { name: 'matching first entry', inProgress: 7, index: 5, term: 1, offset: 6, entries: [[6, 2], [7, 2]], wantInProgress: 7 },
    { name: 'raises inProgress to the new offset', inProgress: 4, index: 6, term: 2, offset: 7, entries: [[7, 2]], wantInProgress: 6 },
    { name: 'mismatching term (entry replaced): ignored', inProgress: 7, index: 6, term: 1, offset: 5, entries: [[5, 1], [6, 2], [7, 2]], wantInProgress: 7 },
    { name: 'beyond the last entry: ignored', inProgress: 7, index: 9, term: 2, offset: 5, entries: [[5, 1], [6, 2], [7, 2]], wantInProgress: 7 },
    { name: 'below offset: ignored', inProgress: 7, index: 4, term: 1, offset: 5, entries: [[5, 1], [6, 2], [7, 2]], wantInProgress: 7 },
    { name: 'at the snapshot index with its term: ignored', inProgress: 7, snapshot: [4, 1], index: 4, term: 1, offset: 5, entries: [[5, 1], [6, 2], [7, 2]], wantInProgress: 7 },
  ])('$name', ({ inProgress, snapshot, index, term, offset, entries, wantInProgress }) => {
    const u = make({ offset: 5, terms: [1, 2, 2], inProgress, ...(snapshot === undefined ? {} : { snapshot }) });
    u.stableTo(index, term);
    expect(u.offset).toBe(offset);
    expect(ids(u.entries)).toEqual(entries);
    expect(u.inProgress).toBe(wantInProgress);
  });
});

describe('Unstable snapshots', () => {
  it.each<{ index: number; cleared: boolean }>([
    { index: 10, cleared: true },
    { index: 9, cleared: false },
    { index: 11, cleared: false },
  ])('stableSnapTo($index) with a snapshot at 10 -> cleared $cleared', ({ index, cleared }) => {
    const u = new Unstable(1);
    u.restore(snap(10, 2));
    u.acceptInProgress();
    u.stableSnapTo(index);
    expect(u.snapshot === undefined).toBe(cleared);
    expect(u.snapshotInProgress).toBe(!cleared);
  });

  it('stableSnapTo without a snapshot does nothing', () => {
    const u = make({ offset: 5, terms: [1] });
    u.stableSnapTo(4);
    expect(u.snapshot).toBeUndefined();
    expect(ids(u.entries)).toEqual([[5, 1]]);
  });

  it('restore replaces entries and resets offset, inProgress and snapshotInProgress', () => {
    const u = make({ offset: 5, terms: [1, 1, 1], inProgress: 7 });
    u.restore(snap(3, 1));
    u.acceptInProgress();
    const s = snap(20, 4);
    u.restore(s);
    expect(u.offset).toBe(21);
    expect(u.inProgress).toBe(20);
    expect(u.entries).toEqual([]);
    expect(u.snapshot).toBe(s);
    expect(u.snapshotInProgress).toBe(false);
    expect(u.maybeFirstIndex()).toBe(21);
    expect(u.maybeLastIndex()).toBe(20);
    expect(u.maybeTerm(20)).toBe(4);
    expect(u.hasNewEntries()).toBe(false);
  });

  it('entries appended after a restore follow the snapshot', () => {
    const u = new Unstable(1);
    u.restore(snap(20, 4));
    u.truncateAndAppend(ents(21, 4, 5));
    expect(u.maybeLastIndex()).toBe(22);
    expect(u.maybeTerm(20)).toBe(4);
    expect(ids(u.newEntries())).toEqual([[21, 4], [22, 5]]);
  });
});

describe('Unstable.slice', () => {
  it.each<{ lo: number; hi: number; want: [number, number][] }>([
    { lo: 5, hi: 8, want: [[5, 1], [6, 2], [7, 3]] },
    { lo: 6, hi: 7, want: [[6, 2]] },
    { lo: 7, hi: 8, want: [[7, 3]] },
    { lo: 5, hi: 5, want: [] },
    { lo: 8, hi: 8, want: [] },
  ])('slice($lo, $hi)', ({ lo, hi, want }) => {
    expect(ids(make({ offset: 5, terms: [1, 2, 3] }).slice(lo, hi))).toEqual(want);
  });

  it.each([
    { lo: 4, hi: 6 },
    { lo: 5, hi: 9 },
    { lo: 2, hi: 10 },
  ])('slice($lo, $hi) out of range throws an INVARIANT error', ({ lo, hi }) => {
    const u = make({ offset: 5, terms: [1, 2, 3] });
    expect(() => u.slice(lo, hi)).toThrow(invariantError);
  });
});
