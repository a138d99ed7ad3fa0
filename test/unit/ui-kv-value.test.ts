import { describe, expect, it } from 'vitest';
import { editableOf, shownOf } from '../../ui/src/views/kv-value.js';
import { hrefOf, routeOf } from '../../ui/src/route.js';

const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');

describe("the web UI's KV value display", () => {
  it('shows text as it is, JSON pretty-printed, bytes as a hex dump, and nothing as empty', () => {
    expect(shownOf(b64('hello\nworld'))).toEqual({ kind: 'text', text: 'hello\nworld', bytes: 11 });
    expect(shownOf(b64('{"a":1,"b":[2]}'))).toEqual({ kind: 'json', text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}', bytes: 15 });
    // Looks like JSON, is not: text.
    expect(shownOf(b64('{not json')).kind).toBe('text');
    const bin = shownOf(b64(Uint8Array.of(0, 1, 0x41, 0xff)));
    expect(bin.kind).toBe('binary');
    expect(bin.text).toBe(`00000000  00 01 41 ff${' '.repeat(36)}  ..A.`);
    // Invalid UTF-8 is bytes too.
    expect(shownOf(b64(Uint8Array.of(0xc3, 0x28))).kind).toBe('binary');
    expect(shownOf(null)).toEqual({ kind: 'empty', text: '', bytes: 0 });
    expect(shownOf('')).toEqual({ kind: 'empty', text: '', bytes: 0 });
  });

  it('edits the value as stored (not the pretty-printed form), and not bytes', () => {
    expect(editableOf(b64('{"a":1}'))).toBe('{"a":1}');
    expect(editableOf(b64('héllo'))).toBe('héllo');
    expect(editableOf(b64(Uint8Array.of(0, 1)))).toBeUndefined();
    expect(editableOf(null)).toBe('');
  });
});

describe("the web UI's routes", () => {
  it('reads views and their subject from the fragment, and writes links that read back the same', () => {
    expect(routeOf('')).toEqual({ view: 'services', arg: '' });
    expect(routeOf('#/services')).toEqual({ view: 'services', arg: '' });
    expect(routeOf('#/services/pay%20ments')).toEqual({ view: 'service', arg: 'pay ments' });
    expect(routeOf('#/nodes/node-1')).toEqual({ view: 'node', arg: 'node-1' });
    expect(routeOf('#/kv/config/app/')).toEqual({ view: 'kv', arg: 'config/app/' });
    expect(routeOf('#/kv')).toEqual({ view: 'kv', arg: '' });
    expect(routeOf('#/nowhere')).toEqual({ view: 'services', arg: '' });
    // A malformed escape is taken as written (not a blank page).
    expect(routeOf('#/kv/a/%E0')).toEqual({ view: 'kv', arg: 'a/%E0' });
    for (const [view, arg] of [['kv', 'a b/c?d#e/'], ['services', 'web'], ['nodes', 'n/1']] as const) {
      const r = routeOf(hrefOf(view, arg));
      expect(r.arg).toBe(arg);
    }
  });
});
