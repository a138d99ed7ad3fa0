import { describe, expect, it } from 'vitest';
import { applyConfChange, confChangeError, decodeConfChange, describeConfState, encodeConfChange, type ConfChange, type ConfChangeType } from '../../src/raft/conf-change.js';
import type { ConfState } from '../../src/raft/types.js';
import type { NodeId } from '../../src/util/ids.js';

const n = (id: string): NodeId => id as NodeId;
const cc = (type: ConfChangeType, node: string): ConfChange => ({ type, node: n(node) });
const conf = (voters: string[], learners: string[] = []): ConfState => ({
  voters: Object.freeze<NodeId[]>(voters.map(n)),
  learners: Object.freeze<NodeId[]>(learners.map(n)),
});
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('encodeConfChange / decodeConfChange', () => {
  it.each<ConfChange>([cc('addVoter', 'a'), cc('addLearner', 'node-7.dc_2'), cc('removeNode', 'z')])('round-trips $type $node', (change) => {
    const data = encodeConfChange(change);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(decodeConfChange(data)).toEqual(change);
  });

  it('drops extra properties of the input', () => {
    const withExtra = { ...cc('addVoter', 'a'), extra: 1 } as ConfChange;
    expect(decodeConfChange(encodeConfChange(withExtra))).toEqual(cc('addVoter', 'a'));
  });

  it.each([
    { name: 'null', text: 'null' },
    { name: 'a number', text: '42' },
    { name: 'a string', text: '"addVoter"' },
    { name: 'a boolean', text: 'true' },
    { name: 'an empty object', text: '{}' },
    { name: 'an array', text: '["addVoter","a"]' },
    { name: 'an unknown type', text: '{"type":"promote","node":"a"}' },
    { name: 'a type of the wrong case', text: '{"type":"AddVoter","node":"a"}' },
    { name: 'a missing node', text: '{"type":"addVoter"}' },
    { name: 'an empty node', text: '{"type":"addVoter","node":""}' },
    { name: 'a numeric node', text: '{"type":"removeNode","node":5}' },
    { name: 'a node id with a space', text: '{"type":"addVoter","node":"a b"}' },
  ])('rejects $name with a TypeError', ({ text }) => {
    expect(() => decodeConfChange(bytes(text))).toThrow(TypeError);
  });

  it.each([
    { name: 'empty input', data: new Uint8Array(0) },
    { name: 'text that is not JSON', data: bytes('garbage') },
    { name: 'invalid UTF-8', data: new Uint8Array([0xff, 0xfe, 0x00]) },
    { name: 'truncated JSON', data: encodeConfChange(cc('addVoter', 'a')).subarray(0, 10) },
  ])('rejects $name with a TypeError', ({ data }) => {
    expect(() => decodeConfChange(data)).toThrow(TypeError);
  });
});

describe('confChangeError', () => {
  const three = conf(['a', 'b', 'c'], ['d']);
  const single = conf(['a'], ['d']);

  it.each<{ name: string; conf: ConfState; change: ConfChange; error: RegExp | undefined }>([
    { name: 'add an existing voter', conf: three, change: cc('addVoter', 'a'), error: /a is already a voter/ },
    { name: 'promote a learner', conf: three, change: cc('addVoter', 'd'), error: undefined },
    { name: 'add a new voter', conf: three, change: cc('addVoter', 'e'), error: undefined },
    { name: 'add an existing learner', conf: three, change: cc('addLearner', 'd'), error: /d is already a learner/ },
    { name: 'add a voter as a learner', conf: three, change: cc('addLearner', 'b'), error: /b is a voter/ },
    { name: 'add a new learner', conf: three, change: cc('addLearner', 'e'), error: undefined },
    { name: 'remove a non-member', conf: three, change: cc('removeNode', 'e'), error: /e is not a member/ },
    { name: 'remove a voter', conf: three, change: cc('removeNode', 'b'), error: undefined },
    { name: 'remove a learner', conf: three, change: cc('removeNode', 'd'), error: undefined },
    { name: 'remove the last voter', conf: single, change: cc('removeNode', 'a'), error: /a is the last voter/ },
    { name: 'remove a learner beside the last voter', conf: single, change: cc('removeNode', 'd'), error: undefined },
    { name: 'add a voter to an empty conf', conf: conf([]), change: cc('addVoter', 'a'), error: undefined },
  ])('$name', ({ conf: c, change, error }) => {
    const got = confChangeError(c, change);
    if (error === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(error);
  });
});

describe('applyConfChange', () => {
  it.each<{ name: string; before: ConfState; change: ConfChange; after: ConfState }>([
    { name: 'adds a voter in sorted position', before: conf(['b', 'd']), change: cc('addVoter', 'c'), after: conf(['b', 'c', 'd']) },
    { name: 'adds a voter before all others', before: conf(['b', 'c']), change: cc('addVoter', 'a'), after: conf(['a', 'b', 'c']) },
    { name: 'promotes a learner', before: conf(['a', 'c'], ['b', 'd']), change: cc('addVoter', 'b'), after: conf(['a', 'b', 'c'], ['d']) },
    { name: 'adds a learner in sorted position', before: conf(['a'], ['x', 'z']), change: cc('addLearner', 'y'), after: conf(['a'], ['x', 'y', 'z']) },
    { name: 'removes a voter', before: conf(['a', 'b', 'c'], ['d']), change: cc('removeNode', 'b'), after: conf(['a', 'c'], ['d']) },
    { name: 'removes a learner', before: conf(['a', 'b'], ['c', 'd']), change: cc('removeNode', 'c'), after: conf(['a', 'b'], ['d']) },
  ])('$name', ({ before, change, after }) => {
    expect(applyConfChange(before, change)).toEqual(after);
  });

  it('leaves its input untouched and returns new lists', () => {
    const before = conf(['b', 'c'], ['d']);
    const after = applyConfChange(before, cc('addVoter', 'a'));
    expect(before).toEqual(conf(['b', 'c'], ['d']));
    expect(after.voters).not.toBe(before.voters);
    expect(after.learners).not.toBe(before.learners);
  });

  it('keeps both lists sorted along a sequence of changes', () => {
    let c = conf(['m']);
    for (const change of [cc('addVoter', 'z'), cc('addVoter', 'b'), cc('addLearner', 'q'), cc('addLearner', 'c'), cc('addVoter', 'q'), cc('addVoter', 'k')]) {
      expect(confChangeError(c, change)).toBeUndefined();
      c = applyConfChange(c, change);
      expect(c.voters).toEqual([...c.voters].sort());
      expect(c.learners).toEqual([...c.learners].sort());
    }
    expect(c).toEqual(conf(['b', 'k', 'm', 'q', 'z'], ['c']));
  });
});

describe('describeConfState', () => {
  it.each([
    { conf: conf(['a', 'b']), want: 'voters=a,b' },
    { conf: conf(['a'], ['c', 'd']), want: 'voters=a learners=c,d' },
  ])('$want', ({ conf: c, want }) => {
    expect(describeConfState(c)).toBe(want);
  });
});
