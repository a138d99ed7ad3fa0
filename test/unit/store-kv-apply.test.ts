import { describe, expect, it, vi } from 'vitest';
import type { KvCommand } from '../../src/store/kv/command.js';
import { currentKey, META_KEY } from '../../src/store/kv/layout.js';
import { NAMESPACE, nsKey } from '../../src/store/kv/namespace.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore, type ApplyEntry, type ApplyResult } from '../../src/store/kv/mvcc-store.js';
import { compareValue, op, putRequest, rangeRequest, txnRequest } from '../../src/store/kv/requests.js';
import { bytesEqual } from '../../src/store/kv/bytes.js';
import { b, keysOf, KvHarness, raw, summary } from './store-kv-harness.js';

/** Where the store keeps etcd key `k`: in the KV namespace. */
const kvKey = (k: string): Uint8Array => nsKey(NAMESPACE.kv, b(k));

const put = (key: string, value: string, fields: Parameters<typeof putRequest>[2] = {}): KvCommand => ({ type: 'put', request: putRequest(b(key), b(value), fields) });
const entries = (from: number, ...commands: (KvCommand | undefined)[]): ApplyEntry[] => commands.map((command, i) => ({ index: from + i, command }));
const outcome = (r: ApplyResult): string => (r.ok ? `${r.index}:ok` : `${r.index}:${r.error.code}`);

describe('MvccStore.apply batches', () => {
  it('writes a whole batch, with its applied index, in one atomic backend write', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    const write = vi.spyOn(kv, 'write');
    const results = await store.apply(entries(1, put('a', '1'), undefined, put('b', '2'), { type: 'deleteRange', request: { key: b('a'), rangeEnd: raw(), prevKv: false } }));
    expect(results.map(outcome)).toEqual(['1:ok', '2:ok', '3:ok', '4:ok']);
    expect(results[1]).toEqual({ index: 2, ok: true, response: undefined });
    expect(write).toHaveBeenCalledTimes(1);
    const ops = write.mock.calls[0]![0];
    expect(ops.some((o) => o.type === 'put' && bytesEqual(o.key, META_KEY))).toBe(true);
    // 'a' was created and deleted inside the batch: only its delete reaches the current keyspace.
    expect(ops.filter((o) => bytesEqual(o.key, currentKey(kvKey('a')))).map((o) => o.type)).toEqual(['del']);
    expect([store.revision(), store.appliedIndex()]).toEqual([4, 4]);
  });

  it('lets later commands of a batch see the writes of earlier ones', async () => {
    const h = await KvHarness.create();
    const results = await h.store.apply(
      entries(
        1,
        put('a', '1'),
        { type: 'txn', request: txnRequest({ compare: [compareValue(b('a'), 'equal', b('1'))], success: [op.put(putRequest(b('b'), b('seen')))], failure: [] }) },
        put('a', '', { ignoreValue: true, prevKv: true }),
        { type: 'txn', request: txnRequest({ success: [op.range(rangeRequest(b('a'), { rangeEnd: raw(0) }))] }) },
      ),
    );
    expect(results.map(outcome)).toEqual(['1:ok', '2:ok', '3:ok', '4:ok']);
    const third = results[2];
    expect(third?.ok === true && third.response?.type === 'put' && summary(third.response.response.prevKv)).toMatchObject({ value: '1', version: 1 });
    const fourth = results[3];
    if (fourth?.ok !== true || fourth.response?.type !== 'txn' || fourth.response.response.responses[0]?.type !== 'range') throw new Error('expected a txn range');
    expect(keysOf(fourth.response.response.responses[0].response.kvs)).toEqual(['a', 'b']);
    expect(summary((await h.range('a')).kvs[0])).toEqual({ key: 'a', value: '1', create: 2, mod: 4, version: 2, lease: 0n });
  });

  it('a failing command fails alone; the batch goes on', async () => {
    const h = await KvHarness.create();
    const results = await h.store.apply(entries(1, put('a', '1'), put('b', '2', { lease: 9n }), put('c', '3')));
    expect(results.map(outcome)).toEqual(['1:ok', '2:LEASE_NOT_FOUND', '3:ok']);
    expect(await h.allKeys()).toEqual(['a', 'c']);
    expect(summary((await h.range('c')).kvs[0])).toMatchObject({ mod: 3 });
    expect(h.store.appliedIndex()).toBe(3);
  });

  it('skips entries already applied: a replay is a no-op, an overlap applies only the new tail', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    await store.apply(entries(1, put('a', '1'), put('b', '1'), put('c', '1')));
    const before = kv.dump();
    const write = vi.spyOn(kv, 'write');
    expect(await store.apply(entries(1, put('a', 'X'), put('b', 'X'), put('c', 'X')))).toEqual([]);
    expect(write).not.toHaveBeenCalled();
    expect(kv.dump()).toEqual(before);
    const results = await store.apply(entries(2, put('b', 'Y'), put('c', 'Y'), put('d', '1'), undefined));
    expect(results.map(outcome)).toEqual(['4:ok', '5:ok']);
    expect([store.revision(), store.appliedIndex()]).toEqual([5, 5]);
    expect((await store.range(rangeRequest(b('c')))).kvs[0]?.version).toBe(1);
  });

  it('advances the applied index for entries without a command', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    await store.apply(entries(1, undefined, undefined));
    expect([store.revision(), store.appliedIndex()]).toEqual([1, 2]);
    expect([(await MvccStore.open(kv)).appliedIndex()]).toEqual([2]);
  });

  it('reopening from the same backend restores revision, compact revision, applied index and data', async () => {
    const h = await KvHarness.create();
    await h.put('a', '1'); // 2
    await h.put('a', '2'); // 3
    await h.put('b', '1'); // 4
    await h.compact(3);
    await h.run(put('bad', 'x', { lease: 1n }));
    await h.reopen();
    expect([h.store.revision(), h.store.compactRevision(), h.store.appliedIndex()]).toEqual([4, 3, 5]);
    expect(summary((await h.range('a', { revision: 3 })).kvs[0])).toMatchObject({ value: '2' });
    expect((await h.range('a', { revision: 2 }).catch((e: { code: string }) => e.code)) as string).toBe('COMPACTED');
    expect((await h.put('c', '1')).revision).toBe(5);
  });

  it('when the backend write fails, nothing of the batch is in the backend and the store refuses every later read and apply (its server stops and applies the entries again from its log)', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    await store.apply(entries(1, put('a', '1')));
    const before = kv.dump();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(kv, 'write').mockImplementationOnce(async () => {
      await held;
      throw new Error('disk full');
    });
    const told: string[] = [];
    let queued: Promise<unknown> | undefined;
    const failed = store.apply(entries(2, put('b', '1'), put('a', '2')), (rs) => {
      told.push(...rs.map(outcome));
      // A read sent after the answer: queued behind the write.
      queued = store.range(rangeRequest(b('a'))).catch((e: unknown) => e);
    });
    for (let i = 0; i < 20 && queued === undefined; i++) await Promise.resolve();
    release();
    await expect(failed).rejects.toThrow('disk full');
    // The results were told while the write was under way; the backend is as it was, and the
    // read that waited for the write gets its error rather than the data from before the batch.
    expect(told).toEqual(['2:ok', '3:ok']);
    expect(kv.dump()).toEqual(before);
    expect(await queued).toMatchObject({ message: 'disk full' });
    await expect(store.range(rangeRequest(b('a')))).rejects.toThrow('disk full');
    await expect(store.apply(entries(4, put('c', '1')))).rejects.toThrow('disk full');
    // Opened again on the same backend (the server restarted), the batch applies.
    const reopened = await MvccStore.open(kv);
    expect([reopened.revision(), reopened.appliedIndex()]).toEqual([2, 1]);
    const results = await reopened.apply(entries(2, put('b', '1'), put('a', '2')));
    expect(results.map(outcome)).toEqual(['2:ok', '3:ok']);
    expect([reopened.revision(), reopened.appliedIndex()]).toEqual([4, 3]);
  });

  it('a corrupt record fails the whole batch instead of becoming a command result', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    await kv.write([{ type: 'put', key: currentKey(kvKey('a')), value: raw(9, 9) }]);
    await expect(store.apply(entries(1, put('ok', '1'), put('a', '2')))).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(store.appliedIndex()).toBe(0);
  });

  it('runs overlapping apply calls one after the other', async () => {
    const h = await KvHarness.create();
    const first = h.store.apply(entries(1, put('a', '1')));
    const second = h.store.apply(entries(2, put('a', '', { ignoreValue: true })));
    expect((await first).map(outcome)).toEqual(['1:ok']);
    expect((await second).map(outcome)).toEqual(['2:ok']);
    expect(summary((await h.range('a')).kvs[0])).toMatchObject({ value: '1', version: 2 });
  });

  it('a range never sees a batch half written: it waits for the write in flight', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writing!: () => void;
    const writeStarted = new Promise<void>((resolve) => (writing = resolve));
    const realWrite = kv.write.bind(kv);
    vi.spyOn(kv, 'write').mockImplementation(async (ops) => {
      writing();
      await gate;
      return realWrite(ops);
    });
    const applied = store.apply(entries(1, put('a', '1')));
    await writeStarted;
    let seen: number | undefined;
    const read = store.range(rangeRequest(b('a'))).then((r) => (seen = r.revision));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(seen).toBeUndefined();
    release();
    await applied;
    await read;
    expect(seen).toBe(2);
    expect(keysOf((await store.range(rangeRequest(b('a')))).kvs)).toEqual(['a']);
  });

  it('tells the results once the write is under way, before it lands; a read started then waits for it and sees the batch', async () => {
    const kv = new MemoryOrderedKv();
    const store = await MvccStore.open(kv);
    await store.apply(entries(1, put('a', '1')));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const realWrite = kv.write.bind(kv);
    vi.spyOn(kv, 'write').mockImplementation(async (ops) => {
      await held;
      return realWrite(ops);
    });
    let told: { results: string[]; revision: number; applied: number } | undefined;
    let read: Promise<string[]> | undefined;
    const applied = store.apply(entries(2, put('a', '2'), put('b', '1')), (rs) => {
      told = { results: rs.map(outcome), revision: store.revision(), applied: store.appliedIndex() };
      // What a client told of its write asks next: it must see that write.
      read = store.range(rangeRequest(b('a'), { rangeEnd: raw(0) })).then((r) => r.kvs.map((kv) => `${new TextDecoder().decode(kv.key)}=${new TextDecoder().decode(kv.value)}`));
    });
    for (let i = 0; i < 20 && told === undefined; i++) await Promise.resolve();
    expect(told).toEqual({ results: ['2:ok', '3:ok'], revision: 4, applied: 3 });
    let seen: string[] | undefined;
    void read!.then((r) => (seen = r));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(seen).toBeUndefined(); // the write has not landed: the read waits
    release();
    await applied;
    expect(await read!).toEqual(['a=2', 'b=1']);
  });
});
