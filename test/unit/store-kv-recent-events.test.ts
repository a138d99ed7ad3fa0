import { describe, expect, it } from 'vitest';
import { RecentEvents } from '../../src/store/kv/recent-events.js';
import type { RevisionEvents } from '../../src/store/kv/types.js';

const group = (revision: number, valueBytes = 1): RevisionEvents => ({
  revision,
  events: [{ type: 'put', kv: { key: Uint8Array.of(1, 97), value: new Uint8Array(valueBytes), createRevision: revision, modRevision: revision, version: 1, lease: 0n }, prevModRevision: 0, sub: 0, prev: null }],
});

describe('RecentEvents', () => {
  it('serves a contiguous run ending at the newest revision, and nothing older than it holds', () => {
    const r = new RecentEvents(10, 3);
    expect(r.get(11, 0)).toEqual([]);
    expect(r.get(10, 0)).toBeUndefined();
    r.add([group(11), group(12)]);
    r.add([group(13)]);
    expect(r.get(12, 0)?.map((g) => g.revision)).toEqual([12, 13]);
    expect(r.get(11, 1)?.map((g) => g.revision)).toEqual([11]);
    r.add([group(14)]); // over 3 revisions: 11 goes
    expect(r.get(11, 0)).toBeUndefined();
    expect(r.get(12, 0)?.map((g) => g.revision)).toEqual([12, 13, 14]);
  });

  it('is bounded in bytes too', () => {
    const r = new RecentEvents(0, 100, 1000);
    for (let i = 1; i <= 10; i++) r.add([group(i, 300)]);
    const held = r.get(1, 0);
    expect(held).toBeUndefined();
    const tail = r.get(9, 0)!;
    expect(tail.map((g) => g.revision)).toEqual([9, 10]);
  });

  it('forgets everything on reset', () => {
    const r = new RecentEvents(0);
    r.add([group(1)]);
    r.resetTo(50);
    expect(r.get(1, 0)).toBeUndefined();
    expect(r.get(51, 0)).toEqual([]);
  });
});
