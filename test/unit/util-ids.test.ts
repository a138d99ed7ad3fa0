import { describe, expect, it } from 'vitest';
import { NO_NODE, nodeId } from '../../src/util/ids.js';

describe('nodeId', () => {
  it.each([
    'a',
    'Z',
    '0',
    'node-1',
    'node_1',
    'node.example.com',
    'A1.b_2-c',
    '9-._',
    'x'.repeat(64),
  ])('accepts %j and returns it unchanged', (raw) => {
    expect(nodeId(raw)).toBe(raw);
  });

  it.each([
    { name: 'empty', raw: '' },
    { name: 'too long (65)', raw: 'x'.repeat(65) },
    { name: 'leading dash', raw: '-a' },
    { name: 'leading dot', raw: '.a' },
    { name: 'leading underscore', raw: '_a' },
    { name: 'space', raw: 'a b' },
    { name: 'leading space', raw: ' a' },
    { name: 'trailing newline', raw: 'a\n' },
    { name: 'slash', raw: 'a/b' },
    { name: 'colon (an address)', raw: '10.0.0.1:7000' },
    { name: 'at sign', raw: 'a@b' },
    { name: 'non-ASCII letter', raw: 'nœud' },
    { name: 'NUL', raw: 'a\u0000' },
  ])('rejects $name with a TypeError naming the input', ({ raw }) => {
    expect(() => nodeId(raw)).toThrow(TypeError);
    expect(() => nodeId(raw)).toThrow(JSON.stringify(raw));
  });

  it('NO_NODE is the empty string, which nodeId itself refuses', () => {
    expect(NO_NODE).toBe('');
    expect(() => nodeId(NO_NODE)).toThrow(TypeError);
  });
});
