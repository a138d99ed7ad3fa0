import { describe, expect, it } from 'vitest';
import { putRequest } from '../../src/store/kv/requests.js';
import { b, KvHarness, summary } from './store-kv-harness.js';

describe('MvccStore revisions and versions', () => {
  it('starts at revision 1 with nothing compacted or applied', async () => {
    const h = await KvHarness.create();
    expect([h.store.revision(), h.store.compactRevision(), h.store.appliedIndex()]).toEqual([1, 0, 0]);
    expect(await h.range('foo')).toEqual({ kvs: [], more: false, count: 0, revision: 1 });
  });

  it('tracks create/mod/version across put, put, delete, put', async () => {
    const h = await KvHarness.create();
    expect((await h.put('foo', 'a')).revision).toBe(2);
    expect(summary((await h.range('foo')).kvs[0])).toEqual({ key: 'foo', value: 'a', create: 2, mod: 2, version: 1, lease: 0n });
    expect((await h.put('foo', 'b')).revision).toBe(3);
    expect(summary((await h.range('foo')).kvs[0])).toEqual({ key: 'foo', value: 'b', create: 2, mod: 3, version: 2, lease: 0n });
    const del = await h.del('foo');
    expect(del).toEqual({ deleted: 1, prevKvs: [], revision: 4 });
    expect(await h.range('foo')).toEqual({ kvs: [], more: false, count: 0, revision: 4 });
    expect((await h.put('foo', 'c')).revision).toBe(5);
    // Re-created: a new life, version 1, created at 5.
    expect(summary((await h.range('foo')).kvs[0])).toEqual({ key: 'foo', value: 'c', create: 5, mod: 5, version: 1, lease: 0n });
    expect(h.store.revision()).toBe(5);
  });

  it('reads every past revision of that history', async () => {
    const h = await KvHarness.create();
    await h.put('foo', 'a'); // 2
    await h.put('foo', 'b'); // 3
    await h.del('foo'); // 4
    await h.put('foo', 'c'); // 5
    const at = async (revision: number): Promise<unknown> => summary((await h.range('foo', { revision })).kvs[0]);
    expect(await at(1)).toBeUndefined();
    expect(await at(2)).toEqual({ key: 'foo', value: 'a', create: 2, mod: 2, version: 1, lease: 0n });
    expect(await at(3)).toEqual({ key: 'foo', value: 'b', create: 2, mod: 3, version: 2, lease: 0n });
    expect(await at(4)).toBeUndefined();
    expect(await at(5)).toEqual({ key: 'foo', value: 'c', create: 5, mod: 5, version: 1, lease: 0n });
    // The header revision is the store's, whatever revision was read.
    expect((await h.range('foo', { revision: 2 })).revision).toBe(5);
  });

  it('keeps other keys independent', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2
    await h.put('b', '1'); // 3
    await h.put('a', '2'); // 4
    expect(summary((await h.range('b')).kvs[0])).toMatchObject({ create: 3, mod: 3, version: 1 });
    expect(summary((await h.range('a')).kvs[0])).toMatchObject({ create: 2, mod: 4, version: 2 });
  });
});

describe('DeleteRange', () => {
  it('deleting nothing does not move the revision', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1');
    expect(await h.del('zzz')).toEqual({ deleted: 0, prevKvs: [], revision: 2 });
    expect(await h.del('b', { rangeEnd: b('c') })).toEqual({ deleted: 0, prevKvs: [], revision: 2 });
    expect(h.store.revision()).toBe(2);
    expect(await h.store.events(3, 0)).toEqual([]);
  });

  it('deletes a range in one revision and returns prevKvs on request', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2
    await h.put('b', '2'); // 3
    await h.put('c', '3'); // 4
    const res = await h.del('a', { rangeEnd: b('c'), prevKv: true });
    expect(res.deleted).toBe(2);
    expect(res.revision).toBe(5);
    expect(res.prevKvs.map(summary)).toEqual([
      { key: 'a', value: '1', create: 2, mod: 2, version: 1, lease: 0n },
      { key: 'b', value: '2', create: 3, mod: 3, version: 1, lease: 0n },
    ]);
    expect(await h.allKeys()).toEqual(['c']);
  });
});

describe('Put options', () => {
  it('returns prevKv only when asked and only when the key existed', async () => {
    const h = await KvHarness.create();
    expect(await h.put('k', 'v1', { prevKv: true })).toEqual({ prevKv: undefined, revision: 2 });
    expect(await h.put('k', 'v2')).toEqual({ prevKv: undefined, revision: 3 });
    const res = await h.put('k', 'v3', { prevKv: true });
    expect(summary(res.prevKv)).toEqual({ key: 'k', value: 'v2', create: 2, mod: 3, version: 2, lease: 0n });
  });

  it('ignoreValue keeps the value, ignoreLease keeps the lease; both bump version', async () => {
    const h = await KvHarness.create();
    await h.grant(7n, 60);
    await h.put('k', 'keep', { lease: 7n });
    await h.put('k', '', { ignoreValue: true, lease: 0n });
    expect(summary((await h.range('k')).kvs[0])).toEqual({ key: 'k', value: 'keep', create: 2, mod: 3, version: 2, lease: 0n });
    await h.put('k', 'lease-back', { lease: 7n });
    await h.put('k', 'new', { ignoreLease: true });
    expect(summary((await h.range('k')).kvs[0])).toEqual({ key: 'k', value: 'new', create: 2, mod: 5, version: 4, lease: 7n });
  });

  it.each([{ flag: 'ignoreValue' as const }, { flag: 'ignoreLease' as const }])('$flag on a missing key fails with KEY_NOT_FOUND and changes nothing', async ({ flag }) => {
    const h = await KvHarness.create();
    const err = await h.fails({ type: 'put', request: putRequest(b('missing'), b(''), { [flag]: true }) });
    expect([err.code, err.message]).toEqual(['KEY_NOT_FOUND', 'etcdserver: key not found']);
    expect(h.store.revision()).toBe(1);
    expect(h.store.appliedIndex()).toBe(1);
  });

  it('a put with a lease fails with LEASE_NOT_FOUND while no lease exists', async () => {
    const h = await KvHarness.create();
    const err = await h.fails({ type: 'put', request: putRequest(b('k'), b('v'), { lease: 12345n }) });
    expect([err.code, err.message]).toEqual(['LEASE_NOT_FOUND', 'etcdserver: requested lease not found']);
    expect(await h.allKeys()).toEqual([]);
    expect(h.store.revision()).toBe(1);
  });

  it('stores int64 lease ids exactly', async () => {
    const big = 2n ** 63n - 1n;
    const h = await KvHarness.create();
    await h.grant(big, 60);
    await h.put('k', 'v', { lease: big });
    expect((await h.range('k')).kvs[0]?.lease).toBe(big);
  });

  it('rejects what validation rejects, at apply time too', async () => {
    const h = await KvHarness.create();
    const err = await h.fails({ type: 'put', request: putRequest(new Uint8Array(0), b('v')) });
    expect(err.message).toBe('etcdserver: key is not provided');
    await expect(h.range(new Uint8Array(0))).rejects.toThrow('etcdserver: key is not provided');
  });
});
