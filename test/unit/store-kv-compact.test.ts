import { describe, expect, it } from 'vitest';
import { decodeHistoryKey, PREFIX_EVENT, PREFIX_HISTORY } from '../../src/store/kv/layout.js';
import { NAMESPACE } from '../../src/store/kv/namespace.js';
import { putRequest, rangeRequest, txnRequest, op } from '../../src/store/kv/requests.js';
import { isRosterError } from '../../src/util/errors.js';
import { b, KvHarness, str, summary } from './store-kv-harness.js';

/** The revisions of a key's history entries still in the backend. */
function historyOf(h: KvHarness, key: string): number[] {
  return h.kv
    .dump()
    .filter((e) => e.key[0] === PREFIX_HISTORY)
    .map((e) => decodeHistoryKey(e.key))
    .filter((d) => d.userKey[0] === NAMESPACE.kv && str(d.userKey.subarray(1)) === key)
    .map((d) => d.rev.main);
}

const eventCount = (h: KvHarness): number => h.kv.dump().filter((e) => e.key[0] === PREFIX_EVENT).length;

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (!isRosterError(err)) throw err;
    return { code: err.code, message: err.message, details: { ...err.details } };
  }
}

describe('Compact', () => {
  it('refuses ranges below the compact revision and keeps what is readable at or after it', async () => {
    const h = await KvHarness.create();
    await h.put('foo', 'v1'); // 2
    await h.put('foo', 'v2'); // 3
    await h.put('foo', 'v3'); // 4
    await h.put('bar', 'b'); // 5
    await h.compact(3);
    expect(h.store.compactRevision()).toBe(3);
    expect(h.store.revision()).toBe(5);
    expect(await errorOf(h.range('foo', { revision: 2 }))).toEqual({
      code: 'COMPACTED',
      message: 'etcdserver: mvcc: required revision has been compacted',
      details: { compactRevision: 3, requested: 2 },
    });
    expect(summary((await h.range('foo', { revision: 3 })).kvs[0])).toMatchObject({ value: 'v2', version: 2 });
    expect(summary((await h.range('foo', { revision: 4 })).kvs[0])).toMatchObject({ value: 'v3', version: 3 });
    expect(await h.allKeys(5)).toEqual(['bar', 'foo']);
    expect((await errorOf(h.range('foo', { revision: 6 })))?.code).toBe('FUTURE_REV');
    // Physically gone: foo@2 was superseded at 3.
    expect(historyOf(h, 'foo')).toEqual([3, 4]);
    expect(historyOf(h, 'bar')).toEqual([5]);
  });

  it.each([
    { name: 'the same revision again', revision: 3, code: 'COMPACTED', message: 'etcdserver: mvcc: required revision has been compacted' },
    { name: 'an older revision', revision: 2, code: 'COMPACTED', message: 'etcdserver: mvcc: required revision has been compacted' },
    { name: 'a future revision', revision: 5, code: 'FUTURE_REV', message: 'etcdserver: mvcc: required revision is a future revision' },
  ])('compacting $name fails with $code and changes nothing', async ({ revision, code, message }) => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2
    await h.put('a', '2'); // 3
    await h.put('a', '3'); // 4
    await h.compact(3);
    const err = await h.fails({ type: 'compact', request: { revision } });
    expect([err.code, err.message]).toEqual([code, message]);
    expect([h.store.compactRevision(), h.store.revision()]).toEqual([3, 4]);
  });

  it('a fresh store cannot compact revision 0 but can compact revision 1', async () => {
    const h = await KvHarness.create();
    expect((await h.fails({ type: 'compact', request: { revision: 0 } })).code).toBe('COMPACTED');
    await h.compact(1);
    expect(h.store.compactRevision()).toBe(1);
  });

  it('removes tombstones at or before the compact revision, and what they deleted', async () => {
    const h = await KvHarness.create();
    await h.put('x', '1'); // 2
    await h.del('x'); // 3
    await h.put('y', '1'); // 4
    await h.put('z', '1'); // 5
    await h.del('z'); // 6: after the compact revision, stays
    await h.compact(4);
    expect(historyOf(h, 'x')).toEqual([]);
    expect(historyOf(h, 'z')).toEqual([5, 6]);
    expect(await h.allKeys(4)).toEqual(['y']);
    expect(await h.allKeys(5)).toEqual(['y', 'z']);
    expect(await h.allKeys(6)).toEqual(['y']);
    // x comes back as a new key.
    await h.put('x', '2'); // 7
    expect(summary((await h.range('x')).kvs[0])).toMatchObject({ create: 7, version: 1 });
  });

  it('keeps a key deleted before and re-created after the compact revision correct at every revision', async () => {
    const h = await KvHarness.create();
    await h.put('k', 'a'); // 2
    await h.del('k'); // 3
    await h.put('k', 'b'); // 4
    await h.compact(3);
    expect(historyOf(h, 'k')).toEqual([4]);
    expect(await h.allKeys(3)).toEqual([]);
    expect(summary((await h.range('k', { revision: 4 })).kvs[0])).toMatchObject({ value: 'b', create: 4 });
  });

  it('compacting at the current revision keeps every live key readable there', async () => {
    const h = await KvHarness.create();
    for (let i = 0; i < 5; i++) await h.put('k', `v${i}`); // 2..6
    await h.put('other', 'o'); // 7
    await h.compact(7);
    expect(historyOf(h, 'k')).toEqual([6]);
    expect(await h.allKeys(7)).toEqual(['k', 'other']);
    expect(eventCount(h)).toBe(1); // only the event at revision 7
  });

  it('later commands of the same batch see the new compact revision', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2, index 1
    await h.put('a', '2'); // 3, index 2
    const results = await h.store.apply([
      { index: 3, command: { type: 'compact', request: { revision: 3 } } },
      { index: 4, command: { type: 'txn', request: txnRequest({ success: [op.range(rangeRequest(b('a'), { revision: 2 }))] }) } },
      { index: 5, command: { type: 'put', request: putRequest(b('a'), b('3')) } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'COMPACTED', 'ok']);
    expect(historyOf(h, 'a')).toEqual([3, 4]);
  });
});

describe('events', () => {
  async function history(): Promise<KvHarness> {
    const h = await KvHarness.create();
    await h.put('a', 'a1'); // 2
    await h.put('b', 'b1'); // 3
    await h.txn(txnRequest({ success: [op.put(putRequest(b('c'), b('c1'))), op.deleteRange({ key: b('a'), rangeEnd: new Uint8Array(0), prevKv: false })] })); // 4
    await h.del('nothing'); // no revision, no event
    await h.put('a', 'a2'); // 5: created anew
    await h.put('b', 'b2'); // 6
    return h;
  }

  const brief = (revs: Awaited<ReturnType<KvHarness['store']['events']>>) =>
    revs.map((r) => ({ revision: r.revision, events: r.events.map((e) => `${e.type} ${str(e.kv.key)}@${e.kv.modRevision}.${e.sub} prev=${e.prevModRevision}`) }));

  it('reports every change grouped by revision, with sub-revisions and previous mod revisions', async () => {
    const h = await history();
    expect(brief(await h.store.events(1, 0))).toEqual([
      { revision: 2, events: ['put a@2.0 prev=0'] },
      { revision: 3, events: ['put b@3.0 prev=0'] },
      { revision: 4, events: ['put c@4.0 prev=0', 'delete a@4.1 prev=2'] },
      { revision: 5, events: ['put a@5.0 prev=0'] },
      { revision: 6, events: ['put b@6.0 prev=3'] },
    ]);
  });

  it('carries the full KeyValue of a put and etcd’s tombstone for a delete', async () => {
    const h = await history();
    const [four] = await h.store.events(4, 1);
    expect(summary(four?.events[0]?.kv)).toEqual({ key: 'c', value: 'c1', create: 4, mod: 4, version: 1, lease: 0n });
    expect(summary(four?.events[1]?.kv)).toEqual({ key: 'a', value: '', create: 0, mod: 4, version: 0, lease: 0n });
    const [six] = await h.store.events(6, 1);
    expect(summary(six?.events[0]?.kv)).toEqual({ key: 'b', value: 'b2', create: 3, mod: 6, version: 2, lease: 0n });
  });

  it.each([
    { from: 3, limit: 2, revisions: [3, 4] },
    { from: 4, limit: 1, revisions: [4] },
    { from: 5, limit: 0, revisions: [5, 6] },
    { from: 6, limit: 10, revisions: [6] },
    { from: 7, limit: 0, revisions: [] },
  ])('from $from, at most $limit revisions', async ({ from, limit, revisions }) => {
    const h = await history();
    expect((await h.store.events(from, limit)).map((r) => r.revision)).toEqual(revisions);
  });

  it('compaction removes the events below the compact revision', async () => {
    const h = await history();
    await h.compact(4);
    expect((await errorOf(h.store.events(3, 0)))?.code).toBe('COMPACTED');
    expect(brief(await h.store.events(4, 0)).map((r) => r.revision)).toEqual([4, 5, 6]);
    expect(eventCount(h)).toBe(4);
    // The put at the compact revision still has its history entry.
    expect(summary((await h.store.events(4, 1))[0]?.events[0]?.kv)).toMatchObject({ key: 'c', value: 'c1' });
  });
});
