import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/raft/memory-storage.js';
import { RaftLog } from '../../src/raft/raft-log.js';
import { EMPTY_CONF, type Entry, type Snapshot } from '../../src/raft/types.js';
import { NO_NODE } from '../../src/util/ids.js';

const ent = (index: number, term: number): Entry => ({ term, index, kind: 'normal', data: new Uint8Array(0) });
const ents = (from: number, ...terms: number[]): Entry[] => terms.map((t, i) => ent(from + i, t));
const snap = (index: number, term: number): Snapshot => ({ meta: { index, term, conf: EMPTY_CONF }, data: new Uint8Array(0) });
const indexes = (es: readonly Entry[] | undefined): number[] | undefined => es?.map((e) => e.index);

/** A RosterError with code INVARIANT (a broken internal invariant). */
const invariantError = expect.objectContaining({ name: 'RosterError', code: 'INVARIANT' });

/** Storage holding entries 1..terms.length, compacted up to `compactTo`, with the given commit. */
function storage(terms: number[], compactTo = 0, commit = compactTo): MemoryStorage {
  const s = new MemoryStorage();
  s.append(ents(1, ...terms));
  if (compactTo > 0) {
    s.createSnapshot(compactTo, EMPTY_CONF, new Uint8Array(0));
    s.compact(compactTo);
  }
  s.setHardState({ term: terms[terms.length - 1] ?? 0, vote: NO_NODE, commit });
  return s;
}

/**
 * The standard log of these tests:
 *   index  1  2 | 3  4  5 | 6  7
 *   term   1  1 | 2  2  3 | 3  4
 *   compacted   | storage | unstable
 * committed = applied = 2. Every entry counts for 16 bytes (empty payload).
 */
function standardLog(): RaftLog {
  const log = new RaftLog(storage([1, 1, 2, 2, 3], 2), 0);
  log.append(ents(6, 3, 4));
  return log;
}

describe('RaftLog layout', () => {
  it('spans from after the compaction point to the end of unstable', () => {
    const log = standardLog();
    expect(log.firstIndex()).toBe(3);
    expect(log.lastIndex()).toBe(7);
    expect(log.lastTerm()).toBe(4);
    expect(log.unstable.offset).toBe(6);
    expect(log.committed).toBe(2);
    expect(log.applied).toBe(2);
    expect(log.applying).toBe(2);
  });

  it.each<{ index: number; term: number | undefined }>([
    { index: 0, term: undefined },
    { index: 1, term: undefined }, // compacted
    { index: 2, term: 1 }, // the compaction point: term still known
    { index: 3, term: 2 },
    { index: 5, term: 3 }, // last in storage
    { index: 6, term: 3 }, // first in unstable
    { index: 7, term: 4 },
    { index: 8, term: undefined },
  ])('term($index) -> $term', ({ index, term }) => {
    const log = standardLog();
    expect(log.term(index)).toBe(term);
    expect(log.matchTerm(index, term ?? -1)).toBe(term !== undefined);
  });

  it('entries replaced in unstable hide the stale ones still in storage', () => {
    const log = standardLog();
    expect(log.append(ents(4, 5))).toBe(4);
    expect([log.term(3), log.term(4), log.term(5), log.term(6)]).toEqual([2, 5, undefined, undefined]);
    expect(log.lastIndex()).toBe(4);
    expect(log.lastTerm()).toBe(5);
  });

  it('applied starts at the compaction point when the given one is lower', () => {
    expect(new RaftLog(storage([1, 1, 2, 2, 3], 2, 4), 0).applied).toBe(2);
    expect(new RaftLog(storage([1, 1, 2, 2, 3], 2, 4), 3).applied).toBe(3);
  });

  it('takes the applied index as committed when the stored commit lags it (commit-only writes are skipped)', () => {
    const log = new RaftLog(storage([1, 1, 2], 0, 2), 3);
    expect([log.committed, log.applied]).toEqual([3, 3]);
  });

  it('refuses to start with applied beyond the stored log', () => {
    expect(() => new RaftLog(storage([1, 1, 2], 0, 2), 9)).toThrow(invariantError);
  });
});

describe('RaftLog.isUpToDate (ours: last index 7, term 4)', () => {
  it.each<{ lastIndex: number; lastTerm: number; want: boolean }>([
    { lastIndex: 7, lastTerm: 4, want: true },
    { lastIndex: 8, lastTerm: 4, want: true },
    { lastIndex: 6, lastTerm: 4, want: false },
    { lastIndex: 1, lastTerm: 5, want: true },
    { lastIndex: 100, lastTerm: 3, want: false },
    { lastIndex: 7, lastTerm: 3, want: false },
    { lastIndex: 0, lastTerm: 0, want: false },
  ])('candidate ($lastIndex, $lastTerm) -> $want', ({ lastIndex, lastTerm, want }) => {
    expect(standardLog().isUpToDate(lastIndex, lastTerm)).toBe(want);
  });
});

describe('RaftLog.findConflict', () => {
  it.each<{ name: string; ents: Entry[]; want: number }>([
    { name: 'no entries', ents: [], want: 0 },
    { name: 'all present in storage', ents: ents(3, 2, 2, 3), want: 0 },
    { name: 'all present across the boundary', ents: ents(5, 3, 3, 4), want: 0 },
    { name: 'the compaction point matches', ents: ents(2, 1, 2), want: 0 },
    { name: 'new entries beyond the last index', ents: ents(6, 3, 4, 4, 4), want: 8 },
    { name: 'directly after the last index', ents: ents(8, 4), want: 8 },
    { name: 'term conflict in storage', ents: ents(4, 2, 4), want: 5 },
    { name: 'term conflict in unstable', ents: ents(6, 3, 5), want: 7 },
    { name: 'term conflict at the first entry', ents: ents(3, 9, 9), want: 3 },
  ])('$name -> $want', ({ ents: es, want }) => {
    expect(standardLog().findConflict(es)).toBe(want);
  });
});

describe('RaftLog.findConflictByTerm', () => {
  it.each<{ index: number; term: number; want: { index: number; term: number | undefined } }>([
    { index: 7, term: 4, want: { index: 7, term: 4 } },
    { index: 7, term: 9, want: { index: 7, term: 4 } },
    { index: 7, term: 3, want: { index: 6, term: 3 } },
    { index: 7, term: 2, want: { index: 4, term: 2 } },
    { index: 5, term: 2, want: { index: 4, term: 2 } },
    { index: 7, term: 1, want: { index: 2, term: 1 } }, // at the compaction point
    { index: 7, term: 0, want: { index: 1, term: undefined } }, // below it: unknown
    { index: 10, term: 4, want: { index: 10, term: undefined } }, // beyond the last index: unknown
  ])('($index, $term) -> $want', ({ index, term, want }) => {
    expect(standardLog().findConflictByTerm(index, term)).toEqual(want);
  });

  it('reaches index 0 (term 0) on an uncompacted log', () => {
    const log = new RaftLog(storage([1, 2, 2]), 0);
    expect(log.findConflictByTerm(3, 0)).toEqual({ index: 0, term: 0 });
    expect(log.findConflictByTerm(3, 1)).toEqual({ index: 1, term: 1 });
  });
});

describe('RaftLog.append', () => {
  it('returns the new last index', () => {
    const log = standardLog();
    expect(log.append([])).toBe(7);
    expect(log.append(ents(8, 4, 4))).toBe(9);
    expect(log.append(ents(7, 5))).toBe(7);
    expect(log.term(7)).toBe(5);
  });

  it.each<{ name: string; from: number; ok: boolean }>([
    { name: 'at the committed index', from: 6, ok: false },
    { name: 'below the committed index', from: 4, ok: false },
    { name: 'right after the committed index', from: 7, ok: true },
  ])('with committed 6, appending $name (from $from) ok: $ok', ({ from, ok }) => {
    const log = standardLog();
    log.commitTo(6);
    const append = (): number => log.append(ents(from, 9));
    if (ok) {
      expect(append()).toBe(from);
      expect(log.term(from)).toBe(9);
    } else {
      expect(append).toThrow(invariantError);
      expect(log.lastIndex()).toBe(7);
      expect([log.term(from), log.term(7)]).toEqual([standardLog().term(from), 4]);
    }
  });

  it('commitTo never moves back and refuses to pass the last index', () => {
    const log = standardLog();
    log.commitTo(5);
    log.commitTo(3);
    expect(log.committed).toBe(5);
    expect(() => log.commitTo(8)).toThrow(invariantError);
    expect(log.committed).toBe(5);
  });
});

describe('RaftLog.slice', () => {
  it.each<{ lo: number; hi: number; maxBytes: number; want: number[] | undefined }>([
    { lo: 3, hi: 8, maxBytes: Infinity, want: [3, 4, 5, 6, 7] },
    { lo: 4, hi: 6, maxBytes: Infinity, want: [4, 5] }, // storage only
    { lo: 6, hi: 8, maxBytes: Infinity, want: [6, 7] }, // unstable only
    { lo: 5, hi: 7, maxBytes: Infinity, want: [5, 6] }, // across the boundary
    { lo: 3, hi: 8, maxBytes: 40, want: [3, 4] }, // limited within storage
    { lo: 4, hi: 8, maxBytes: 40, want: [4, 5] }, // storage fills the budget, unstable adds nothing
    { lo: 5, hi: 8, maxBytes: 40, want: [5, 6] }, // budget runs out in unstable
    { lo: 5, hi: 8, maxBytes: 32, want: [5, 6] }, // exactly at the budget
    { lo: 5, hi: 8, maxBytes: 31, want: [5] },
    { lo: 5, hi: 8, maxBytes: 1000, want: [5, 6, 7] },
    { lo: 3, hi: 8, maxBytes: 0, want: [3] }, // at least one entry, from storage
    { lo: 6, hi: 8, maxBytes: 0, want: [6] }, // at least one entry, from unstable
    { lo: 6, hi: 8, maxBytes: 32, want: [6, 7] },
    { lo: 5, hi: 5, maxBytes: Infinity, want: [] },
    { lo: 2, hi: 5, maxBytes: Infinity, want: undefined }, // compacted
    { lo: 1, hi: 8, maxBytes: 40, want: undefined },
  ])('slice($lo, $hi, $maxBytes) -> $want', ({ lo, hi, maxBytes, want }) => {
    expect(indexes(standardLog().slice(lo, hi, maxBytes))).toEqual(want);
  });

  it('counts payload bytes across the boundary', () => {
    const s = storage([1, 1, 2, 2, 3], 2);
    const log = new RaftLog(s, 0);
    log.append([{ term: 3, index: 6, kind: 'normal', data: new Uint8Array(30) }, ent(7, 4)]);
    // 5: 16 bytes, 6: 46 bytes, 7: 16 bytes
    expect(indexes(log.slice(5, 8, 61))).toEqual([5]);
    expect(indexes(log.slice(5, 8, 62))).toEqual([5, 6]);
    expect(indexes(log.slice(5, 8, 78))).toEqual([5, 6, 7]);
  });

  it('stops at an oversized storage entry even if the unstable tail would fit', () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1), { term: 1, index: 2, kind: 'normal', data: new Uint8Array(100) }]);
    const log = new RaftLog(s, 0);
    log.append(ents(3, 1, 1));
    // 1: 16 bytes, 2: 116 bytes, 3 and 4: 16 bytes each
    expect(indexes(log.slice(1, 5, 40))).toEqual([1]);
    expect(indexes(log.slice(2, 5, 40))).toEqual([2]);
    expect(indexes(log.slice(1, 5, 148))).toEqual([1, 2, 3]);
  });

  it('refuses to read beyond the last index', () => {
    expect(() => standardLog().slice(5, 9)).toThrow(invariantError);
  });
});

describe('RaftLog committed entries', () => {
  it('hands out committed entries once, within the byte budget', () => {
    const log = standardLog();
    expect(log.hasNextCommittedEntries()).toBe(false);
    expect(log.nextCommittedEntries(Infinity)).toEqual([]);

    log.commitTo(6);
    expect(log.hasNextCommittedEntries()).toBe(true);
    expect(indexes(log.nextCommittedEntries(Infinity))).toEqual([3, 4, 5, 6]);
    expect(indexes(log.nextCommittedEntries(40))).toEqual([3, 4]);
    expect(indexes(log.nextCommittedEntries(0))).toEqual([3]);

    log.acceptApplying(4);
    expect(indexes(log.nextCommittedEntries(Infinity))).toEqual([5, 6]);
    log.acceptApplying(6);
    expect(log.hasNextCommittedEntries()).toBe(false);
    expect(log.nextCommittedEntries(Infinity)).toEqual([]);

    log.appliedTo(6);
    expect(log.applied).toBe(6);
    expect(() => log.appliedTo(7)).toThrow(invariantError);
  });

  it('appliedTo pulls applying forward', () => {
    const log = standardLog();
    log.commitTo(5);
    log.appliedTo(4);
    expect(log.applying).toBe(4);
    expect(indexes(log.nextCommittedEntries(Infinity))).toEqual([5]);
  });

  it('holds committed entries back while a snapshot is pending', () => {
    const log = standardLog();
    log.commitTo(4);
    log.restore(snap(10, 5));
    expect(log.applying).toBe(2);
    expect(log.committed).toBe(10);
    expect(log.hasNextCommittedEntries()).toBe(false);
    expect(log.nextCommittedEntries(Infinity)).toEqual([]);
  });
});

describe('RaftLog.restore', () => {
  it('replaces the log with the snapshot', () => {
    const log = standardLog();
    const s = snap(10, 5);
    log.restore(s);
    expect(log.firstIndex()).toBe(11);
    expect(log.lastIndex()).toBe(10);
    expect(log.lastTerm()).toBe(5);
    expect(log.term(10)).toBe(5);
    // Storage still holds 3..5 until the snapshot is persisted; they are no longer part of the log.
    expect([log.term(4), log.term(5), log.term(7), log.term(9)]).toEqual([undefined, undefined, undefined, undefined]);
    expect(log.committed).toBe(10);
    expect(log.snapshot()).toBe(s);
    expect(log.slice(7, 10)).toBeUndefined();
    expect(log.slice(11, 11)).toEqual([]);
    expect(log.append(ents(11, 5, 6))).toBe(12);
    expect(indexes(log.slice(11, 13))).toEqual([11, 12]);
    expect(log.isUpToDate(12, 6)).toBe(true);
    expect(log.isUpToDate(11, 6)).toBe(false);
  });

  it('snapshot() falls back to storage when none is pending', () => {
    const s = storage([1, 1, 2, 2, 3], 2);
    const log = new RaftLog(s, 0);
    expect(log.snapshot()).toBe(s.snapshot());
    expect(log.snapshot()?.meta.index).toBe(2);
  });
});

describe('RaftLog.lastStableIndex', () => {
  it.each<{ name: string; act: (log: RaftLog, s: MemoryStorage) => void; want: number }>([
    { name: 'only storage is durable', act: () => {}, want: 5 },
    {
      name: 'after persisting the unstable tail',
      act: (log, s) => {
        s.append(log.unstable.entries);
        log.unstable.stableTo(7, 4);
      },
      want: 7,
    },
    { name: 'after a new leader truncated into storage', act: (log) => log.append(ents(4, 5)), want: 3 },
    { name: 'while a snapshot is pending', act: (log) => log.restore(snap(10, 5)), want: 0 },
    {
      name: 'after the snapshot is persisted',
      act: (log, s) => {
        const sn = snap(10, 5);
        log.restore(sn);
        s.applySnapshot(sn);
        log.unstable.stableSnapTo(10);
      },
      want: 10,
    },
  ])('$name -> $want', ({ act, want }) => {
    const s = storage([1, 1, 2, 2, 3], 2);
    const log = new RaftLog(s, 0);
    log.append(ents(6, 3, 4));
    act(log, s);
    expect(log.lastStableIndex()).toBe(want);
  });
});
