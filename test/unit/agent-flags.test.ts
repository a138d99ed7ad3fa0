import { describe, expect, it } from 'vitest';
import { parseFlags, usage, type FlagSpec } from '../../src/flags/flags.js';

const SPEC: FlagSpec = {
  server: { kind: 'bool', help: '' },
  'enable-script-checks': { kind: 'bool', help: '' },
  name: { kind: 'string', help: '' },
  'tick-ms': { kind: 'int', help: '' },
};

describe('agent flags', () => {
  it('usage names each flag with its value placeholder, and marks a required one', () => {
    const text = usage('roster agent', { server: { kind: 'bool', help: 'be a server' }, name: { kind: 'string', help: 'its name', required: true }, 'tick-ms': { kind: 'int', help: 'a tick' } });
    expect(text.split('\n')).toEqual(['usage: roster agent [flags]', '', '  --server      be a server', '  --name VALUE  (required) its name', '  --tick-ms N   a tick']);
  });

  it('parses --flag value, --flag=value and bare booleans', () => {
    expect(parseFlags(['--server', '--name', 'n1', '--tick-ms=50', '--enable-script-checks=false'], SPEC)).toEqual({ server: true, name: 'n1', 'tick-ms': 50, 'enable-script-checks': false });
  });

  it('a boolean given a value takes only true or false (--enable-script-checks=0 must not turn them on)', () => {
    expect(() => parseFlags(['--enable-script-checks=0'], SPEC)).toThrow('--enable-script-checks is true or false, got "0"');
    expect(() => parseFlags(['--server=yes'], SPEC)).toThrow(/true or false/);
  });

  it('unknown flags, missing values and bad integers are clear errors', () => {
    expect(() => parseFlags(['--bogus'], SPEC)).toThrow('unknown flag --bogus');
    expect(() => parseFlags(['--name'], SPEC)).toThrow('--name needs a value');
    expect(() => parseFlags(['--tick-ms', 'fast'], SPEC)).toThrow('--tick-ms needs an integer, got "fast"');
    expect(() => parseFlags(['--tick-ms='], SPEC)).toThrow('--tick-ms needs an integer, got ""');
    expect(() => parseFlags(['--tick-ms', '0x3'], SPEC)).toThrow('--tick-ms needs an integer, got "0x3"');
  });

  it('short flags, grouped short flags, negative numbers and "--" are arguments the agent refuses, whole', () => {
    expect(() => parseFlags(['-x'], SPEC)).toThrow('unexpected argument "-x"');
    expect(() => parseFlags(['-abc'], SPEC)).toThrow('unexpected argument "-abc"');
    expect(() => parseFlags(['--name', 'n1', '-5'], SPEC)).toThrow('unexpected argument "-5"');
    expect(() => parseFlags(['--', '--server'], SPEC)).toThrow('unexpected argument "--"');
    expect(parseFlags(['--name', '-5', '--tick-ms', '-1'], SPEC)).toEqual({ name: '-5', 'tick-ms': -1 });
  });
});
