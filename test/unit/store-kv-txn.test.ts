import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareCreate,
  compareLease,
  compareMod,
  compareValue,
  compareVersion,
  deleteRangeRequest,
  op,
  putRequest,
  rangeRequest,
  txnRequest,
} from '../../src/store/kv/requests.js';
import type { Compare, RangeResponse, TxnResponse } from '../../src/store/kv/types.js';
import { b, keysOf, KvHarness, raw, summary } from './store-kv-harness.js';

const put = (key: string, value = 'v') => op.put(putRequest(b(key), b(value)));
const get = (key: string, fields: Parameters<typeof rangeRequest>[1] = {}) => op.range(rangeRequest(b(key), fields));
const del = (key: string, rangeEnd?: string) => op.deleteRange(deleteRangeRequest(b(key), rangeEnd === undefined ? {} : { rangeEnd: b(rangeEnd) }));
const rangeOf = (res: TxnResponse, i: number): RangeResponse => {
  const r = res.responses[i];
  if (r?.type !== 'range') throw new Error(`response ${i} is not a range`);
  return r.response;
};

describe('Txn compares', () => {
  let h: KvHarness;
  beforeAll(async () => {
    h = await KvHarness.create();
    await h.put('k', 'v1'); // 2
    await h.put('k', 'v2'); // 3: k version 2, create 2, mod 3, value v2, lease 0
    await h.put('r1', 'x'); // 4
    await h.put('r2', 'x'); // 5
    await h.put('r2', 'y'); // 6: r1 version 1, r2 version 2
  });

  it.each<{ name: string; compare: Compare; holds: boolean }>([
    { name: 'version equal', compare: compareVersion(b('k'), 'equal', 2), holds: true },
    { name: 'version greater', compare: compareVersion(b('k'), 'greater', 1), holds: true },
    { name: 'version greater (equal)', compare: compareVersion(b('k'), 'greater', 2), holds: false },
    { name: 'version less', compare: compareVersion(b('k'), 'less', 3), holds: true },
    { name: 'version notEqual', compare: compareVersion(b('k'), 'notEqual', 2), holds: false },
    { name: 'create equal', compare: compareCreate(b('k'), 'equal', 2), holds: true },
    { name: 'create greater', compare: compareCreate(b('k'), 'greater', 2), holds: false },
    { name: 'create less', compare: compareCreate(b('k'), 'less', 3), holds: true },
    { name: 'mod equal', compare: compareMod(b('k'), 'equal', 3), holds: true },
    { name: 'mod less', compare: compareMod(b('k'), 'less', 3), holds: false },
    { name: 'mod notEqual', compare: compareMod(b('k'), 'notEqual', 2), holds: true },
    { name: 'value equal', compare: compareValue(b('k'), 'equal', b('v2')), holds: true },
    { name: 'value equal (old value)', compare: compareValue(b('k'), 'equal', b('v1')), holds: false },
    { name: 'value greater', compare: compareValue(b('k'), 'greater', b('v1')), holds: true },
    { name: 'value less', compare: compareValue(b('k'), 'less', b('v3')), holds: true },
    { name: 'value less (prefix)', compare: compareValue(b('k'), 'less', b('v')), holds: false },
    { name: 'value notEqual', compare: compareValue(b('k'), 'notEqual', b('v2')), holds: false },
    { name: 'lease equal 0', compare: compareLease(b('k'), 'equal', 0n), holds: true },
    { name: 'lease greater', compare: compareLease(b('k'), 'greater', -1n), holds: true },
    { name: 'lease notEqual', compare: compareLease(b('k'), 'notEqual', 5n), holds: true },
    { name: 'missing: version equal 0', compare: compareVersion(b('nope'), 'equal', 0), holds: true },
    { name: 'missing: create equal 0', compare: compareCreate(b('nope'), 'equal', 0), holds: true },
    { name: 'missing: mod less 1', compare: compareMod(b('nope'), 'less', 1), holds: true },
    { name: 'missing: lease equal 0', compare: compareLease(b('nope'), 'equal', 0n), holds: true },
    { name: 'missing: value equal empty', compare: compareValue(b('nope'), 'equal', raw()), holds: false },
    { name: 'missing: value notEqual', compare: compareValue(b('nope'), 'notEqual', b('x')), holds: false },
    { name: 'range: every version > 0', compare: compareVersion(b('r'), 'greater', 0, b('s')), holds: true },
    { name: 'range: every version == 1 (r2 is 2)', compare: compareVersion(b('r'), 'equal', 1, b('s')), holds: false },
    { name: 'range: every value < z', compare: compareValue(b('r'), 'less', b('z'), b('s')), holds: true },
    { name: 'range: every value == x (r2 is y)', compare: compareValue(b('r'), 'equal', b('x'), b('s')), holds: false },
    { name: 'range from key: every create > 1', compare: compareCreate(b('r1'), 'greater', 1, raw(0)), holds: true },
    { name: 'empty range: version == 0', compare: compareVersion(b('x'), 'equal', 0, b('y')), holds: true },
    { name: 'empty range: value compare is false', compare: compareValue(b('x'), 'notEqual', b('q'), b('y')), holds: false },
  ])('$name -> $holds', async ({ compare, holds }) => {
    const res = await h.txn(txnRequest({ compare: [compare] }));
    expect(res.succeeded).toBe(holds);
  });

  it('all compares must hold', async () => {
    const both = [compareVersion(b('k'), 'equal', 2), compareValue(b('r1'), 'equal', b('x'))];
    expect((await h.txn(txnRequest({ compare: both }))).succeeded).toBe(true);
    expect((await h.txn(txnRequest({ compare: [...both, compareMod(b('k'), 'equal', 99)] }))).succeeded).toBe(false);
  });
});

describe('Txn execution', () => {
  it('runs the success branch when the compares hold, the failure branch otherwise', async () => {
    const h = await KvHarness.create();
    await h.put('k', 'v'); // 2
    const t = (version: number) => txnRequest({ compare: [compareVersion(b('k'), 'equal', version)], success: [put('yes')], failure: [put('no')] });
    const ok = await h.txn(t(1));
    expect([ok.succeeded, ok.revision, ok.responses.map((r) => r.type)]).toEqual([true, 3, ['put']]);
    const ko = await h.txn(t(1)); // k still version 1
    expect(ko.succeeded).toBe(true);
    const fail = await h.txn(t(5));
    expect(fail.succeeded).toBe(false);
    expect(await h.allKeys()).toEqual(['k', 'no', 'yes']);
  });

  it('shares one revision among its writes, in sub-revision order', async () => {
    const h = await KvHarness.create();
    await h.put('gone', 'x'); // 2
    const res = await h.txn(txnRequest({ success: [put('p1'), put('p2'), del('gone')] }));
    expect(res.revision).toBe(3);
    expect(h.store.revision()).toBe(3);
    expect((await h.range('p1')).kvs[0]?.modRevision).toBe(3);
    expect((await h.range('p2')).kvs[0]?.modRevision).toBe(3);
    const [events] = await h.store.events(3, 1);
    expect(events?.events.map((e) => [e.type, new TextDecoder().decode(e.kv.key), e.sub])).toEqual([
      ['put', 'p1', 0],
      ['put', 'p2', 1],
      ['delete', 'gone', 2],
    ]);
  });

  it("reads its own earlier writes, with etcd's sub-response revisions", async () => {
    const h = await KvHarness.create();
    await h.put('x', 'old'); // 2
    const res = await h.txn(txnRequest({ success: [get('x'), put('x', 'new'), get('x'), get('x', { revision: 2 }), del('none')] }));
    expect(res.revision).toBe(3);
    expect(summary(rangeOf(res, 0).kvs[0])).toMatchObject({ value: 'old', version: 1 });
    expect(rangeOf(res, 0).revision).toBe(2); // before the txn wrote
    expect(res.responses[1]).toEqual({ type: 'put', response: { prevKv: undefined, revision: 3 } });
    expect(summary(rangeOf(res, 2).kvs[0])).toEqual({ key: 'x', value: 'new', create: 2, mod: 3, version: 2, lease: 0n });
    expect(rangeOf(res, 2).revision).toBe(3);
    // An explicit revision reads history: the txn's own write is not in it.
    expect(summary(rangeOf(res, 3).kvs[0])).toMatchObject({ value: 'old' });
    // A delete of nothing reports the txn's write revision once the txn has written.
    expect(res.responses[4]).toEqual({ type: 'deleteRange', response: { deleted: 0, prevKvs: [], revision: 3 } });
  });

  it('a range in a txn sees keys created and deleted earlier in it', async () => {
    const h = await KvHarness.create();
    await h.put('a1', '1'); // 2
    const res = await h.txn(txnRequest({ success: [del('a1'), put('a2'), put('a3'), get('a', { rangeEnd: b('b') })] }));
    expect(keysOf(rangeOf(res, 3).kvs)).toEqual(['a2', 'a3']);
    expect(rangeOf(res, 3).count).toBe(2);
  });

  it('runs nested txns; their compares see the state at the start of the outer txn (etcd)', async () => {
    const h = await KvHarness.create();
    const inner = txnRequest({
      compare: [compareVersion(b('a'), 'equal', 0)], // true at the start, although 'a' is put just before
      success: [put('inner-yes'), get('a')],
      failure: [put('inner-no')],
    });
    const res = await h.txn(txnRequest({ success: [put('a'), op.txn(inner)] }));
    expect(res.succeeded).toBe(true);
    const nested = res.responses[1];
    if (nested?.type !== 'txn') throw new Error('expected a nested txn response');
    expect(nested.response.succeeded).toBe(true);
    expect(keysOf(rangeOf(nested.response, 1).kvs)).toEqual(['a']); // but its range sees the put
    expect(nested.response.revision).toBe(2);
    expect(await h.allKeys()).toEqual(['a', 'inner-yes']);
    expect(h.store.revision()).toBe(2);
  });

  it('runs the failure branch of a nested txn', async () => {
    const h = await KvHarness.create();
    const inner = txnRequest({ compare: [compareVersion(b('missing'), 'greater', 0)], success: [put('s')], failure: [put('f'), del('x')] });
    const res = await h.txn(txnRequest({ compare: [compareVersion(b('missing'), 'greater', 0)], failure: [op.txn(inner)] }));
    expect(res.succeeded).toBe(false);
    expect(await h.allKeys()).toEqual(['f']);
  });

  it('a txn that fails midway has no effect at all', async () => {
    const h = await KvHarness.create();
    await h.put('keep', '1'); // 2
    const err = await h.fails({
      type: 'txn',
      request: txnRequest({ success: [put('a'), del('keep'), op.put(putRequest(b('b'), b('v'), { lease: 5n }))] }),
    });
    expect(err.code).toBe('LEASE_NOT_FOUND');
    expect(await h.allKeys()).toEqual(['keep']);
    expect(h.store.revision()).toBe(2);
    expect(h.store.appliedIndex()).toBe(2);
    expect(await h.store.events(3, 0)).toEqual([]);
    // The next command starts from a clean state.
    expect((await h.put('c', '1')).revision).toBe(3);
  });

  it('a range at a revision past the txn start fails the txn with FUTURE_REV, even after a write', async () => {
    const h = await KvHarness.create();
    const err = await h.fails({ type: 'txn', request: txnRequest({ success: [put('a'), get('a', { revision: 2 })] }) });
    expect(err.code).toBe('FUTURE_REV');
    expect(await h.allKeys()).toEqual([]);
  });

  it('a read-only txn, or one that deletes nothing, does not move the revision', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2
    expect((await h.txn(txnRequest({ success: [get('a')] }))).revision).toBe(2);
    expect((await h.txn(txnRequest({ success: [del('zz'), del('b', 'c')] }))).revision).toBe(2);
    expect((await h.txn(txnRequest())).revision).toBe(2);
    expect(h.store.revision()).toBe(2);
  });

  it('returns prevKv inside a txn', async () => {
    const h = await KvHarness.create();
    await h.put('a', 'old'); // 2
    const res = await h.txn(
      txnRequest({ success: [op.put(putRequest(b('a'), b('new'), { prevKv: true })), op.deleteRange(deleteRangeRequest(b('b'), { rangeEnd: raw(0), prevKv: true }))] }),
    );
    expect(res.responses[0]?.type === 'put' && summary(res.responses[0].response.prevKv)).toMatchObject({ value: 'old' });
    expect(res.responses[1]).toEqual({ type: 'deleteRange', response: { deleted: 0, prevKvs: [], revision: 3 } });
  });
});

describe('read-only Txn on the applied state (readTxn)', () => {
  let h: KvHarness;
  beforeAll(async () => {
    h = await KvHarness.create();
    await h.put('a', 'x'.repeat(100)); // 2
    await h.put('b', 'y'.repeat(100)); // 3
  });

  it('answers exactly as the same txn applied through the log would, and writes nothing', async () => {
    const req = txnRequest({ compare: [compareVersion(b('a'), 'equal', 1)], success: [get('a'), get('b', { keysOnly: true })], failure: [get('b')] });
    const local = await h.store.readTxn(req);
    const revision = h.store.revision();
    const logged = await h.txn(req);
    expect(local).toEqual(logged);
    expect(h.store.revision()).toBe(revision);
    const otherwise = await h.store.readTxn(txnRequest({ compare: [compareVersion(b('a'), 'equal', 9)], success: [get('a')], failure: [get('b')] }));
    expect(otherwise.succeeded).toBe(false);
    expect(keysOf(rangeOf(otherwise, 0).kvs)).toEqual(['b']);
  });

  it('shares one response budget between its ranges and refuses past it with RESPONSE_TOO_LARGE', async () => {
    // Each key-value costs its key and value (100 bytes) and about 32 bytes of overhead.
    await expect(h.store.readTxn(txnRequest({ success: [get('a'), get('b')] }), 300)).resolves.toMatchObject({ succeeded: true });
    await expect(h.store.readTxn(txnRequest({ success: [get('a'), get('b')] }), 200)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    await expect(h.store.range(rangeRequest(b('a'), { rangeEnd: b('c') }), 200)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    // keys_only costs no value bytes; count_only keeps nothing.
    await expect(h.store.range(rangeRequest(b('a'), { rangeEnd: b('c'), keysOnly: true }), 100)).resolves.toMatchObject({ count: 2 });
    await expect(h.store.range(rangeRequest(b('a'), { rangeEnd: b('c'), countOnly: true }), 1)).resolves.toMatchObject({ count: 2 });
  });
});
