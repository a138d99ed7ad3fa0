import { describe, expect, it } from 'vitest';
import { encodeConfChange, type ConfChangeType } from '../../src/raft/conf-change.js';
import { ConfHistory } from '../../src/raft/conf-history.js';
import type { ConfState, Entry } from '../../src/raft/types.js';
import type { NodeId } from '../../src/util/ids.js';

const conf = (voters: string[], learners: string[] = []): ConfState => ({ voters: voters as NodeId[], learners: learners as NodeId[] });
const normal = (index: number, term = 1): Entry => ({ term, index, kind: 'normal', data: new Uint8Array(0) });
const change = (index: number, type: ConfChangeType, node: string, term = 1): Entry => ({
  term,
  index,
  kind: 'conf',
  data: encodeConfChange({ type, node: node as NodeId }),
});

/** A RosterError with code INVARIANT (a broken internal invariant). */
const invariantError = expect.objectContaining({ name: 'RosterError', code: 'INVARIANT' });

const BASE = conf(['a', 'b', 'c']);
const WITH_D = conf(['a', 'b', 'c', 'd']);
const WITHOUT_A = conf(['b', 'c', 'd']);
const WITH_E = conf(['b', 'c', 'd'], ['e']);

/** Snapshot at 5 with BASE; then 7: add voter d, 9: remove a, 12: add learner e. */
function history(): ConfHistory {
  const h = new ConfHistory(5, BASE);
  h.appended([normal(6), change(7, 'addVoter', 'd'), normal(8)]);
  h.appended([change(9, 'removeNode', 'a'), normal(10), normal(11), change(12, 'addLearner', 'e')]);
  return h;
}

describe('ConfHistory.appended', () => {
  it('starts from the snapshot configuration', () => {
    const h = new ConfHistory(5, BASE);
    expect(h.current()).toBe(BASE);
    expect(h.currentIndex()).toBe(5);
  });

  it.each<{ name: string; ents: Entry[]; changed: boolean; current: ConfState; index: number }>([
    { name: 'nothing', ents: [], changed: false, current: BASE, index: 5 },
    { name: 'normal entries only', ents: [normal(6), normal(7)], changed: false, current: BASE, index: 5 },
    { name: 'one conf entry among normal ones', ents: [normal(6), change(7, 'addVoter', 'd'), normal(8)], changed: true, current: WITH_D, index: 7 },
    { name: 'two conf entries applied in order', ents: [change(6, 'addVoter', 'd'), change(7, 'removeNode', 'a')], changed: true, current: WITHOUT_A, index: 7 },
  ])('$name: changed $changed', ({ ents, changed, current, index }) => {
    const h = new ConfHistory(5, BASE);
    expect(h.appended(ents)).toBe(changed);
    expect(h.current()).toEqual(current);
    expect(h.currentIndex()).toBe(index);
  });

  it('builds up the history entry by entry', () => {
    const h = history();
    expect(h.current()).toEqual(WITH_E);
    expect(h.currentIndex()).toBe(12);
  });

  it('refuses entries at or below the snapshot index', () => {
    const h = new ConfHistory(5, BASE);
    expect(() => h.appended([normal(5)])).toThrow(invariantError);
    expect(() => h.appended([change(3, 'addVoter', 'd')])).toThrow(invariantError);
  });
});

describe('ConfHistory truncation by a later append', () => {
  it.each<{ name: string; ents: Entry[]; changed: boolean; current: ConfState; index: number }>([
    { name: 'before every conf entry: back to the snapshot conf', ents: [normal(7, 2)], changed: true, current: BASE, index: 5 },
    { name: 'at the second conf entry', ents: [normal(9, 2)], changed: true, current: WITH_D, index: 7 },
    { name: 'between two conf entries', ents: [normal(10, 2), normal(11, 2)], changed: true, current: WITHOUT_A, index: 9 },
    { name: 'after every conf entry: nothing changes', ents: [normal(13, 2)], changed: false, current: WITH_E, index: 12 },
    { name: 'replaced by another conf entry', ents: [change(7, 'addLearner', 'x', 2)], changed: true, current: conf(['a', 'b', 'c'], ['x']), index: 7 },
  ])('$name', ({ ents, changed, current, index }) => {
    const h = history();
    expect(h.appended(ents)).toBe(changed);
    expect(h.current()).toEqual(current);
    expect(h.currentIndex()).toBe(index);
  });

  it('a truncated configuration is gone from at() as well', () => {
    const h = history();
    h.appended([normal(9, 2)]);
    expect(h.at(9)).toEqual(WITH_D);
    expect(h.at(12)).toEqual(WITH_D);
  });
});

describe('ConfHistory.at', () => {
  it.each<{ index: number; want: ConfState }>([
    { index: 5, want: BASE },
    { index: 6, want: BASE },
    { index: 7, want: WITH_D },
    { index: 8, want: WITH_D },
    { index: 9, want: WITHOUT_A },
    { index: 11, want: WITHOUT_A },
    { index: 12, want: WITH_E },
    { index: 1000, want: WITH_E },
  ])('at($index)', ({ index, want }) => {
    expect(history().at(index)).toEqual(want);
  });

  it('throws below the oldest known configuration', () => {
    expect(() => history().at(4)).toThrow(invariantError);
  });
});

describe('ConfHistory.restore', () => {
  const SNAP = conf(['p', 'q', 'r']);

  it.each<{ name: string; committed: number; at: [number, ConfState][] }>([
    { name: 'committed 9 keeps configs up to 9', committed: 9, at: [[5, BASE], [7, WITH_D], [9, WITHOUT_A], [12, WITHOUT_A], [19, WITHOUT_A]] },
    { name: 'committed 8 keeps configs up to 7', committed: 8, at: [[5, BASE], [7, WITH_D], [9, WITH_D], [12, WITH_D]] },
    { name: 'committed 5 keeps only the old snapshot conf', committed: 5, at: [[5, BASE], [7, BASE], [12, BASE]] },
    { name: 'committed 12 keeps them all', committed: 12, at: [[9, WITHOUT_A], [12, WITH_E], [19, WITH_E]] },
  ])('$name; the snapshot conf is current', ({ committed, at }) => {
    const h = history();
    h.restore(20, SNAP, committed);
    expect(h.current()).toBe(SNAP);
    expect(h.currentIndex()).toBe(20);
    expect(h.at(20)).toBe(SNAP);
    expect(h.at(25)).toBe(SNAP);
    for (const [index, want] of at) expect(h.at(index), `at(${index})`).toEqual(want);
  });

  it('forgets everything when even the oldest configuration is beyond committed', () => {
    const h = history();
    h.restore(20, SNAP, 4);
    expect(h.at(20)).toBe(SNAP);
    expect(() => h.at(19)).toThrow(invariantError);
  });

  it('continues from the snapshot with later appends', () => {
    const h = history();
    h.restore(20, SNAP, 9);
    expect(h.appended([change(21, 'addVoter', 's')])).toBe(true);
    expect(h.current()).toEqual(conf(['p', 'q', 'r', 's']));
    expect(h.at(20)).toBe(SNAP);
    expect(h.at(9)).toEqual(WITHOUT_A);
  });
});

describe('ConfHistory.prune', () => {
  it.each<{ floor: number; oldest: number }>([
    { floor: 4, oldest: 5 },
    { floor: 6, oldest: 5 },
    { floor: 7, oldest: 7 },
    { floor: 8, oldest: 7 },
    { floor: 11, oldest: 9 },
    { floor: 12, oldest: 12 },
    { floor: 100, oldest: 12 },
  ])('prune($floor) keeps configurations from $oldest on', ({ floor, oldest }) => {
    const h = history();
    const full = history();
    h.prune(floor);
    expect(h.current()).toEqual(WITH_E);
    expect(h.currentIndex()).toBe(12);
    for (const i of [oldest, floor, floor + 1, 12, 13]) if (i >= oldest) expect(h.at(i), `at(${i})`).toEqual(full.at(i));
    expect(() => h.at(oldest - 1)).toThrow(invariantError);
  });
});
