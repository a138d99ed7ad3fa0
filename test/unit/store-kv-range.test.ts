import { beforeAll, describe, expect, it } from 'vitest';
import { prefixEnd } from '../../src/util/prefix-end.js';
import type { RangeRequest } from '../../src/store/kv/types.js';
import { isRosterError } from '../../src/util/errors.js';
import { seededRng } from '../../src/util/rng.js';
import { b, keysOf, KvHarness, raw, str, summary } from './store-kv-harness.js';

/**
 * a   create 3 mod 3 version 1 value v5
 * ab  create 6 mod 6 version 1 value v2
 * abc create 4 mod 4 version 1 value v1
 * b   create 5 mod 7 version 2 value v0
 * c   create 2 mod 2 version 1 value v3
 */
async function fixture(): Promise<KvHarness> {
  const h = await KvHarness.create();
  await h.put('c', 'v3'); // 2
  await h.put('a', 'v5'); // 3
  await h.put('abc', 'v1'); // 4
  await h.put('b', 'v4'); // 5
  await h.put('ab', 'v2'); // 6
  await h.put('b', 'v0'); // 7
  return h;
}

type Fields = Partial<Omit<RangeRequest, 'key'>>;
const ALL = { key: raw(0), rangeEnd: raw(0) };

describe('Range', () => {
  let h: KvHarness;
  beforeAll(async () => {
    h = await fixture();
  });

  it.each<{ name: string; key: string | Uint8Array; fields: Fields; keys: string[]; count: number; more?: boolean }>([
    { name: 'one key', key: 'ab', fields: {}, keys: ['ab'], count: 1 },
    { name: 'a missing key', key: 'zz', fields: {}, keys: [], count: 0 },
    { name: 'a prefix', key: 'a', fields: { rangeEnd: prefixEnd(b('a'))! }, keys: ['a', 'ab', 'abc'], count: 3 },
    { name: 'from a key', key: 'ab', fields: { rangeEnd: raw(0) }, keys: ['ab', 'abc', 'b', 'c'], count: 4 },
    { name: 'all keys', key: ALL.key, fields: { rangeEnd: ALL.rangeEnd }, keys: ['a', 'ab', 'abc', 'b', 'c'], count: 5 },
    { name: 'a half-open interval', key: 'ab', fields: { rangeEnd: b('b') }, keys: ['ab', 'abc'], count: 2 },
    { name: 'an end before the key', key: 'b', fields: { rangeEnd: b('a') }, keys: [], count: 0 },
    { name: 'a limit', key: ALL.key, fields: { rangeEnd: ALL.rangeEnd, limit: 2 }, keys: ['a', 'ab'], count: 5, more: true },
    { name: 'a limit equal to the count', key: ALL.key, fields: { rangeEnd: ALL.rangeEnd, limit: 5 }, keys: ['a', 'ab', 'abc', 'b', 'c'], count: 5, more: false },
    { name: 'a limit above the count', key: ALL.key, fields: { rangeEnd: ALL.rangeEnd, limit: 6 }, keys: ['a', 'ab', 'abc', 'b', 'c'], count: 5, more: false },
    { name: 'a negative limit (none)', key: ALL.key, fields: { rangeEnd: ALL.rangeEnd, limit: -1 }, keys: ['a', 'ab', 'abc', 'b', 'c'], count: 5, more: false },
    { name: 'a limited prefix', key: 'a', fields: { rangeEnd: b('b'), limit: 1 }, keys: ['a'], count: 3, more: true },
  ])('$name', async ({ key, fields, keys, count, more }) => {
    const res = await h.range(key, fields);
    expect(keysOf(res.kvs)).toEqual(keys);
    expect(res.count).toBe(count);
    expect(res.more).toBe(more ?? false);
    expect(res.revision).toBe(7);
  });

  it.each<{ order: RangeRequest['sortOrder']; target: RangeRequest['sortTarget']; keys: string[] }>([
    { order: 'none', target: 'key', keys: ['a', 'ab', 'abc', 'b', 'c'] },
    { order: 'ascend', target: 'key', keys: ['a', 'ab', 'abc', 'b', 'c'] },
    { order: 'descend', target: 'key', keys: ['c', 'b', 'abc', 'ab', 'a'] },
    // A non-key target with order 'none' sorts ascending (etcd); ties stay in key order.
    { order: 'none', target: 'version', keys: ['a', 'ab', 'abc', 'c', 'b'] },
    { order: 'descend', target: 'version', keys: ['b', 'a', 'ab', 'abc', 'c'] },
    { order: 'ascend', target: 'create', keys: ['c', 'a', 'abc', 'b', 'ab'] },
    { order: 'descend', target: 'create', keys: ['ab', 'b', 'abc', 'a', 'c'] },
    { order: 'ascend', target: 'mod', keys: ['c', 'a', 'abc', 'ab', 'b'] },
    { order: 'descend', target: 'mod', keys: ['b', 'ab', 'abc', 'a', 'c'] },
    { order: 'ascend', target: 'value', keys: ['b', 'abc', 'ab', 'c', 'a'] },
    { order: 'descend', target: 'value', keys: ['a', 'c', 'ab', 'abc', 'b'] },
  ])('sorts $order by $target', async ({ order, target, keys }) => {
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, sortOrder: order, sortTarget: target });
    expect(keysOf(res.kvs)).toEqual(keys);
  });

  it('sorts the whole range before applying the limit', async () => {
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, sortOrder: 'descend', sortTarget: 'create', limit: 2 });
    expect(keysOf(res.kvs)).toEqual(['ab', 'b']);
    expect([res.more, res.count]).toEqual([true, 5]);
  });

  it("keeps etcd's quirk: order 'none' on a non-key target sorts only the first limit + 1 keys", async () => {
    // etcd fetches a, ab, abc (limit + 1, key order), sorts them by mod (3, 6, 4), keeps two.
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, sortTarget: 'mod', limit: 2 });
    expect(keysOf(res.kvs)).toEqual(['a', 'abc']);
    expect(res.more).toBe(true);
  });

  it.each<{ name: string; fields: Fields; keys: string[] }>([
    { name: 'minModRevision', fields: { minModRevision: 4 }, keys: ['ab', 'abc', 'b'] },
    { name: 'maxModRevision', fields: { maxModRevision: 3 }, keys: ['a', 'c'] },
    { name: 'minCreateRevision', fields: { minCreateRevision: 5 }, keys: ['ab', 'b'] },
    { name: 'maxCreateRevision', fields: { maxCreateRevision: 3 }, keys: ['a', 'c'] },
    { name: 'a mod window', fields: { minModRevision: 3, maxModRevision: 6 }, keys: ['a', 'ab', 'abc'] },
    { name: 'a create and a mod filter', fields: { minCreateRevision: 4, maxModRevision: 6 }, keys: ['ab', 'abc'] },
  ])('filters by $name; count ignores filters', async ({ fields, keys }) => {
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, ...fields });
    expect(keysOf(res.kvs)).toEqual(keys);
    expect(res.count).toBe(5);
  });

  it('applies the limit after the filters', async () => {
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, minModRevision: 4, limit: 2 });
    expect(keysOf(res.kvs)).toEqual(['ab', 'abc']);
    expect(res.more).toBe(true);
    const exact = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, minModRevision: 4, limit: 3 });
    expect(exact.more).toBe(false);
  });

  it('keysOnly drops values and keeps everything else', async () => {
    const res = await h.range('b', { keysOnly: true });
    expect(summary(res.kvs[0])).toEqual({ key: 'b', value: '', create: 5, mod: 7, version: 2, lease: 0n });
  });

  it('countOnly returns the count and no kvs, even with a limit', async () => {
    expect(await h.range('a', { rangeEnd: b('b'), countOnly: true, limit: 1 })).toEqual({ kvs: [], more: false, count: 3, revision: 7 });
  });

  it.each<{ revision: number; keys: string[]; values: string[] }>([
    { revision: 1, keys: [], values: [] },
    { revision: 2, keys: ['c'], values: ['v3'] },
    { revision: 5, keys: ['a', 'abc', 'b', 'c'], values: ['v5', 'v1', 'v4', 'v3'] },
    { revision: 6, keys: ['a', 'ab', 'abc', 'b', 'c'], values: ['v5', 'v2', 'v1', 'v4', 'v3'] },
    { revision: 7, keys: ['a', 'ab', 'abc', 'b', 'c'], values: ['v5', 'v2', 'v1', 'v0', 'v3'] },
    { revision: 0, keys: ['a', 'ab', 'abc', 'b', 'c'], values: ['v5', 'v2', 'v1', 'v0', 'v3'] },
    { revision: -5, keys: ['a', 'ab', 'abc', 'b', 'c'], values: ['v5', 'v2', 'v1', 'v0', 'v3'] },
  ])('reads all keys as of revision $revision', async ({ revision, keys, values }) => {
    const res = await h.range(ALL.key, { rangeEnd: ALL.rangeEnd, revision });
    expect(keysOf(res.kvs)).toEqual(keys);
    expect(res.kvs.map((kv) => str(kv.value))).toEqual(values);
    expect(res.count).toBe(keys.length);
    expect(res.revision).toBe(7);
  });

  it('reads a prefix at a past revision with limit, sort and filters', async () => {
    const res = await h.range('a', { rangeEnd: b('b'), revision: 5, sortOrder: 'descend', sortTarget: 'mod', limit: 1 });
    expect(keysOf(res.kvs)).toEqual(['abc']);
    expect([res.count, res.more]).toEqual([2, true]);
    const filtered = await h.range('a', { rangeEnd: raw(0), revision: 5, minCreateRevision: 4 });
    expect(keysOf(filtered.kvs)).toEqual(['abc', 'b']);
  });

  it('a revision above the current one fails with FUTURE_REV', async () => {
    const err = await h.range('a', { revision: 8 }).catch((e: unknown) => e);
    expect(isRosterError(err, 'FUTURE_REV')).toBe(true);
    expect((err as Error).message).toBe('etcdserver: mvcc: required revision is a future revision');
  });
});

describe('Range over deleted keys', () => {
  it('sees a deleted key at revisions before its delete, and counts it there', async () => {
    const h = await KvHarness.create();
    await h.put('x', '1'); // 2
    await h.put('y', '1'); // 3
    await h.del('x'); // 4
    await h.put('z', '1'); // 5
    expect(await h.allKeys(3)).toEqual(['x', 'y']);
    expect(await h.allKeys(4)).toEqual(['y']);
    expect(await h.allKeys()).toEqual(['y', 'z']);
    expect((await h.range('x', { revision: 3 })).count).toBe(1);
    expect((await h.range('x', { revision: 4 })).count).toBe(0);
    expect(summary((await h.range('x', { revision: 3 })).kvs[0])).toEqual({ key: 'x', value: '1', create: 2, mod: 2, version: 1, lease: 0n });
  });
});

describe('keys with 0x00 and 0xff bytes', () => {
  const hex = (k: Uint8Array): string => [...k].map((x) => x.toString(16).padStart(2, '0')).join('');
  const keys = [[0x00], [0x61], [0x61, 0x00], [0x61, 0x00, 0x00], [0x61, 0x00, 0x01], [0x61, 0x01], [0x61, 0xff], [0x61, 0xff, 0x00], [0xff], [0xff, 0xff]].map((k) =>
    Uint8Array.from(k),
  );
  const sorted = keys.map(hex); // already in byte order

  let h: KvHarness;
  let allWritten: number;
  beforeAll(async () => {
    h = await KvHarness.create();
    const rng = seededRng(11);
    for (const k of rng.shuffle([...keys])) await h.put(k, 'first');
    allWritten = h.store.revision();
    // More history: every key rewritten, some twice, some deleted and re-put.
    for (const k of rng.shuffle([...keys])) await h.put(k, 'second');
    for (const k of keys.slice(0, 4)) await h.put(k, 'third');
    await h.del(raw(0x61, 0x00));
    await h.put(raw(0x61, 0x00), 'again');
  });

  it.each([
    { name: 'all keys', key: raw(0), rangeEnd: raw(0), want: sorted },
    { name: 'prefix 61', key: raw(0x61), rangeEnd: prefixEnd(raw(0x61))!, want: ['61', '6100', '610000', '610001', '6101', '61ff', '61ff00'] },
    { name: 'prefix 61 00', key: raw(0x61, 0x00), rangeEnd: prefixEnd(raw(0x61, 0x00))!, want: ['6100', '610000', '610001'] },
    { name: 'prefix 61 ff', key: raw(0x61, 0xff), rangeEnd: prefixEnd(raw(0x61, 0xff))!, want: ['61ff', '61ff00'] },
    { name: 'from ff', key: raw(0xff), rangeEnd: raw(0), want: ['ff', 'ffff'] },
    { name: '[61 00 00, 61 01)', key: raw(0x61, 0x00, 0x00), rangeEnd: raw(0x61, 0x01), want: ['610000', '610001'] },
    { name: 'the single key 00', key: raw(0x00), rangeEnd: raw(), want: ['00'] },
  ])('$name, now and at a past revision', async ({ key, rangeEnd, want }) => {
    const now = await h.range(key, { rangeEnd });
    expect(now.kvs.map((kv) => hex(kv.key))).toEqual(want);
    const past = await h.range(key, { rangeEnd, revision: allWritten });
    expect(past.kvs.map((kv) => hex(kv.key))).toEqual(want);
    expect(past.kvs.every((kv) => str(kv.value) === 'first')).toBe(true);
  });

  it('keeps the versions of keys that differ only by trailing 0x00', async () => {
    const res = await h.range(raw(0x61), { rangeEnd: raw(0x61, 0x01) });
    expect(res.kvs.map((kv) => [hex(kv.key), kv.version, str(kv.value)])).toEqual([
      ['61', 3, 'third'],
      ['6100', 1, 'again'],
      ['610000', 3, 'third'],
      ['610001', 2, 'second'],
    ]);
  });
});
