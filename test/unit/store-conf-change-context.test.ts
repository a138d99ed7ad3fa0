import { describe, expect, it } from 'vitest';
import { encodeConfChangeContext, parseConfChangeContext } from '../../src/store/cluster/conf-change-context.js';

describe('conf-change context', () => {
  it('round-trips the addresses it carries', () => {
    const ctx = { peerAddr: '127.0.0.2:8300', clientAddr: '127.0.0.2:8502' };
    expect(parseConfChangeContext(encodeConfChangeContext(ctx))).toEqual(ctx);
    expect(parseConfChangeContext(encodeConfChangeContext({ peerAddr: 'n4:8300' }))).toEqual({ peerAddr: 'n4:8300' });
  });

  it('reads a missing, empty, unparsable or mistyped context as "not given", never throwing', () => {
    for (const context of [undefined, '', '{', 'null', '42', '"x"', '[]']) expect(parseConfChangeContext(context)).toEqual({});
    expect(parseConfChangeContext('{"peerAddr":7,"clientAddr":"c:1"}')).toEqual({ clientAddr: 'c:1' });
  });
});
