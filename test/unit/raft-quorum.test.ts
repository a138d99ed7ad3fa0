import { describe, expect, it } from 'vitest';
import { hasQuorum, majorityValue, voteResult, type VoteResult } from '../../src/raft/quorum.js';
import type { NodeId } from '../../src/util/ids.js';

const ids = (...names: string[]): NodeId[] => names.map((n) => n as NodeId);
const VOTERS = ids('a', 'b', 'c', 'd', 'e', 'f');

/** The first `values.length` voters, with the given values (undefined: no value recorded). */
function cluster(values: readonly (number | undefined)[]): { voters: NodeId[]; valueOf: (id: NodeId) => number } {
  const voters = VOTERS.slice(0, values.length);
  const map = new Map<NodeId, number>();
  voters.forEach((id, i) => {
    const v = values[i];
    if (v !== undefined) map.set(id, v);
  });
  return { voters, valueOf: (id) => map.get(id) ?? 0 };
}

describe('majorityValue', () => {
  it.each<{ name: string; values: (number | undefined)[]; want: number }>([
    { name: 'no voters', values: [], want: 0 },
    { name: '1 voter', values: [7], want: 7 },
    { name: '1 voter without a value', values: [undefined], want: 0 },
    { name: '2 voters need both', values: [9, 4], want: 4 },
    { name: '2 voters, one missing', values: [9, undefined], want: 0 },
    { name: '3 voters: the median', values: [5, 9, 2], want: 5 },
    { name: '3 voters, sorted ascending', values: [1, 2, 3], want: 2 },
    { name: '3 voters, one missing', values: [8, undefined, 6], want: 6 },
    { name: '3 voters, two missing', values: [8, undefined, undefined], want: 0 },
    { name: '4 voters need 3', values: [10, 8, 6, 4], want: 6 },
    { name: '4 voters, descending input', values: [4, 6, 8, 10], want: 6 },
    { name: '4 voters, one missing', values: [10, undefined, 6, 8], want: 6 },
    { name: '4 voters, two missing', values: [10, undefined, undefined, 8], want: 0 },
    { name: '5 voters need 3', values: [1, 5, 3, 4, 2], want: 3 },
    { name: '5 voters, two missing', values: [7, undefined, 9, undefined, 8], want: 7 },
    { name: '5 voters, three missing', values: [7, undefined, 9, undefined, undefined], want: 0 },
    { name: '6 voters need 4', values: [6, 5, 4, 3, 2, 1], want: 3 },
    { name: '6 voters, two missing', values: [6, undefined, 4, 3, undefined, 9], want: 3 },
    { name: 'ties', values: [5, 5, 5, 1, 1], want: 5 },
  ])('$name -> $want', ({ values, want }) => {
    const { voters, valueOf } = cluster(values);
    expect(majorityValue(voters, valueOf)).toBe(want);
  });

  it('does not depend on the order of the voters', () => {
    const { voters, valueOf } = cluster([3, 11, 7, 5, 13]);
    const reversed = [...voters].reverse();
    expect(majorityValue(voters, valueOf)).toBe(7);
    expect(majorityValue(reversed, valueOf)).toBe(7);
  });

  it('asks only about the voters it is given', () => {
    const asked: NodeId[] = [];
    majorityValue(ids('a', 'c'), (id) => {
      asked.push(id);
      return 1;
    });
    expect(asked.sort()).toEqual(ids('a', 'c'));
  });

  it('is not affected by an earlier, larger call (shared scratch space)', () => {
    expect(majorityValue(ids('a', 'b', 'c', 'd', 'e'), () => 100)).toBe(100);
    const { voters, valueOf } = cluster([2, 1]);
    expect(majorityValue(voters, valueOf)).toBe(1);
  });
});

describe('voteResult', () => {
  const votes = (entries: [string, boolean][]): Map<NodeId, boolean> => new Map(entries.map(([id, v]) => [id as NodeId, v]));

  it.each<{ name: string; voters: string[]; votes: [string, boolean][]; want: VoteResult }>([
    { name: 'single voter, no vote yet', voters: ['a'], votes: [], want: 'pending' },
    { name: 'single voter grants', voters: ['a'], votes: [['a', true]], want: 'won' },
    { name: 'single voter rejects', voters: ['a'], votes: [['a', false]], want: 'lost' },
    { name: '3: one grant', voters: ['a', 'b', 'c'], votes: [['a', true]], want: 'pending' },
    { name: '3: two grants', voters: ['a', 'b', 'c'], votes: [['a', true], ['b', true]], want: 'won' },
    { name: '3: one grant one reject', voters: ['a', 'b', 'c'], votes: [['a', true], ['b', false]], want: 'pending' },
    { name: '3: two rejects', voters: ['a', 'b', 'c'], votes: [['b', false], ['c', false]], want: 'lost' },
    { name: '4: two grants are not enough', voters: ['a', 'b', 'c', 'd'], votes: [['a', true], ['b', true]], want: 'pending' },
    { name: '4: two rejects lose', voters: ['a', 'b', 'c', 'd'], votes: [['a', true], ['c', false], ['d', false]], want: 'lost' },
    { name: '4: three grants', voters: ['a', 'b', 'c', 'd'], votes: [['a', true], ['b', true], ['c', true]], want: 'won' },
    { name: '5: three grants, two rejects', voters: ['a', 'b', 'c', 'd', 'e'], votes: [['a', true], ['b', false], ['c', true], ['d', false], ['e', true]], want: 'won' },
    { name: '5: two grants, two rejects', voters: ['a', 'b', 'c', 'd', 'e'], votes: [['a', true], ['b', false], ['c', true], ['d', false]], want: 'pending' },
    { name: 'no voters', voters: [], votes: [['a', true]], want: 'lost' },
  ])('$name -> $want', ({ voters, votes: vs, want }) => {
    expect(voteResult(ids(...voters), votes(vs))).toBe(want);
  });

  it.each<{ name: string; votes: [string, boolean][]; want: VoteResult }>([
    { name: 'grants from learners and strangers do not win', votes: [['a', true], ['l1', true], ['l2', true], ['x', true]], want: 'pending' },
    { name: 'rejections from learners do not lose', votes: [['a', true], ['l1', false], ['l2', false], ['x', false]], want: 'pending' },
    { name: 'a voter majority still wins beside learner rejections', votes: [['a', true], ['b', true], ['l1', false], ['l2', false]], want: 'won' },
  ])('$name', ({ votes: vs, want }) => {
    expect(voteResult(ids('a', 'b', 'c'), votes(vs))).toBe(want);
  });
});

describe('hasQuorum', () => {
  it.each<{ voters: string[]; active: string[]; want: boolean }>([
    { voters: [], active: [], want: false },
    { voters: [], active: ['a'], want: false },
    { voters: ['a'], active: [], want: false },
    { voters: ['a'], active: ['a'], want: true },
    { voters: ['a', 'b'], active: ['a'], want: false },
    { voters: ['a', 'b'], active: ['a', 'b'], want: true },
    { voters: ['a', 'b', 'c'], active: ['c'], want: false },
    { voters: ['a', 'b', 'c'], active: ['a', 'c'], want: true },
    { voters: ['a', 'b', 'c', 'd'], active: ['a', 'b'], want: false },
    { voters: ['a', 'b', 'c', 'd'], active: ['a', 'b', 'd'], want: true },
    { voters: ['a', 'b', 'c', 'd', 'e'], active: ['b', 'd', 'e'], want: true },
    { voters: ['a', 'b', 'c'], active: ['a', 'x', 'y', 'z'], want: false },
  ])('voters $voters, active $active -> $want', ({ voters, active, want }) => {
    const set = new Set(active);
    expect(hasQuorum(ids(...voters), (id) => set.has(id))).toBe(want);
  });
});
