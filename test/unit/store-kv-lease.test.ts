import { describe, expect, it } from 'vitest';
import { decodeKvCommand, encodeKvCommand } from '../../src/store/kv/command-codec.js';
import type { KvCommand } from '../../src/store/kv/command.js';
import type { LeaseRevokeResponse } from '../../src/store/kv/leases.js';
import { op, putRequest, rangeRequest, txnRequest } from '../../src/store/kv/requests.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore, type StoreExtension } from '../../src/store/kv/mvcc-store.js';
import { NAMESPACE, nsKey } from '../../src/store/kv/namespace.js';
import { b, keysOf, KvHarness, str } from './store-kv-harness.js';

const revoke = async (h: KvHarness, id: bigint): Promise<LeaseRevokeResponse> =>
  (await h.ok({ type: 'leaseRevoke', request: { id } })).response as LeaseRevokeResponse;

describe('leases in the MVCC store', () => {
  it('a grant does not move the revision; a put with the lease attaches the key', async () => {
    const h = await KvHarness.create();
    await h.grant(10n, 30);
    expect(h.store.revision()).toBe(1);
    await h.put('a', '1', { lease: 10n });
    await h.put('b', '2', { lease: 10n });
    await h.put('c', '3');
    const lease = await h.store.lease(10n);
    expect(lease?.lease).toEqual({ id: 10n, ttl: 30 });
    expect(lease?.keys.map(str)).toEqual(['a', 'b']);
    expect(await h.store.leases()).toEqual([{ id: 10n, ttl: 30 }]);
  });

  it('revoking deletes every attached key in one revision, with delete events', async () => {
    const h = await KvHarness.create();
    await h.grant(10n, 30);
    await h.put('a', '1', { lease: 10n });
    await h.put('b', '2', { lease: 10n });
    await h.put('c', '3');
    const res = await revoke(h, 10n);
    expect(res).toEqual({ revision: 5, deleted: 2 });
    expect(await h.allKeys()).toEqual(['c']);
    expect(await h.store.lease(10n)).toBeUndefined();
    const [rev5] = await h.store.events(5, 1);
    expect(rev5?.events.map((e) => [e.type, str(e.kv.key)])).toEqual([
      ['delete', 'a'],
      ['delete', 'b'],
    ]);
  });

  it('a revoke with nothing attached leaves the revision alone', async () => {
    const h = await KvHarness.create();
    await h.grant(1n, 5);
    expect(await revoke(h, 1n)).toEqual({ revision: 1, deleted: 0 });
    expect(h.store.revision()).toBe(1);
  });

  it('a key re-put under another lease, or none, or deleted, no longer belongs to the old lease', async () => {
    const h = await KvHarness.create();
    await h.grant(1n, 5);
    await h.grant(2n, 5);
    await h.put('moved', 'x', { lease: 1n });
    await h.put('cleared', 'x', { lease: 1n });
    await h.put('deleted', 'x', { lease: 1n });
    await h.put('kept', 'x', { lease: 1n });
    await h.put('moved', 'y', { lease: 2n });
    await h.put('cleared', 'y');
    await h.del('deleted');
    await h.put('kept', 'y', { ignoreLease: true });
    expect((await h.store.lease(1n))?.keys.map(str)).toEqual(['kept']);
    await revoke(h, 1n);
    expect(await h.allKeys()).toEqual(['cleared', 'moved']);
    expect((await h.store.lease(2n))?.keys.map(str)).toEqual(['moved']);
  });

  it('a lease granted and used earlier in the same batch is seen by later commands', async () => {
    const h = await KvHarness.create();
    const results = await h.store.apply([
      { index: 1, command: { type: 'leaseGrant', request: { id: 9n, ttl: 10 } } },
      { index: 2, command: { type: 'put', request: putRequest(b('k'), b('v'), { lease: 9n }) } },
      { index: 3, command: { type: 'leaseRevoke', request: { id: 9n } } },
      { index: 4, command: { type: 'put', request: putRequest(b('k2'), b('v'), { lease: 9n }) } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'LEASE_NOT_FOUND']);
    expect(await h.allKeys()).toEqual([]);
  });

  it.each([
    { name: 'a second grant of the same id', cmd: { type: 'leaseGrant', request: { id: 3n, ttl: 5 } }, code: 'LEASE_EXISTS', message: 'etcdserver: lease already exists' },
    { name: 'a revoke of an unknown lease', cmd: { type: 'leaseRevoke', request: { id: 4n } }, code: 'LEASE_NOT_FOUND', message: 'etcdserver: requested lease not found' },
    { name: 'a TTL above etcd maximum', cmd: { type: 'leaseGrant', request: { id: 5n, ttl: 9_000_000_001 } }, code: 'LEASE_TTL_TOO_LARGE', message: 'etcdserver: too large lease TTL' },
    { name: 'a grant without an id', cmd: { type: 'leaseGrant', request: { id: 0n, ttl: 5 } }, code: 'BAD_LEASE_GRANT', message: 'roster: a lease grant needs an id and a positive TTL' },
    { name: 'a grant with TTL 0', cmd: { type: 'leaseGrant', request: { id: 6n, ttl: 0 } }, code: 'BAD_LEASE_GRANT', message: 'roster: a lease grant needs an id and a positive TTL' },
  ] as { name: string; cmd: KvCommand; code: string; message: string }[])('$name fails with $code and changes nothing', async ({ cmd, code, message }) => {
    const h = await KvHarness.create();
    await h.grant(3n, 5);
    const before = h.kv.dump().length;
    const err = await h.fails(cmd);
    expect([err.code, err.message]).toEqual([code, message]);
    expect(h.kv.dump().length).toBe(before); // only the meta record changed (same key)
    expect(await h.store.leases()).toEqual([{ id: 3n, ttl: 5 }]);
  });

  it('a txn put with a missing lease fails the whole txn', async () => {
    const h = await KvHarness.create();
    const err = await h.fails({ type: 'txn', request: txnRequest({ success: [op.put(putRequest(b('a'), b('1'))), op.put(putRequest(b('b'), b('2'), { lease: 77n }))] }) });
    expect(err.code).toBe('LEASE_NOT_FOUND');
    expect(keysOf((await h.range('a')).kvs)).toEqual([]);
  });

  it('leases survive a reopen of the store', async () => {
    const h = await KvHarness.create();
    await h.grant(-5n, 7);
    await h.put('k', 'v', { lease: -5n });
    await h.reopen();
    expect(await h.store.leases()).toEqual([{ id: -5n, ttl: 7 }]);
    await revoke(h, -5n);
    expect(await h.allKeys()).toEqual([]);
  });

  it('orders lease records by id bytes and keeps extreme ids apart', async () => {
    const h = await KvHarness.create();
    const max = 2n ** 63n - 1n;
    const min = -(2n ** 63n);
    for (const id of [max, 1n, min, -1n]) await h.grant(id, 1);
    await h.put('max', 'x', { lease: max });
    await h.put('m1', 'x', { lease: -1n });
    expect((await h.store.lease(max))?.keys.map(str)).toEqual(['max']);
    expect((await h.store.lease(-1n))?.keys.map(str)).toEqual(['m1']);
    expect((await h.store.lease(min))?.keys).toEqual([]);
    expect((await h.store.leases()).map((l) => l.id)).toEqual([1n, max, min, -1n]);
  });

  it.each<KvCommand>([
    { type: 'leaseGrant', request: { id: 2n ** 63n - 1n, ttl: 9_000_000_000 } },
    { type: 'leaseGrant', request: { id: -3n, ttl: 1 } },
    { type: 'leaseRevoke', request: { id: 123456789n } },
  ])('the codec round-trips %o', (cmd) => {
    expect(decodeKvCommand(encodeKvCommand(cmd))).toEqual(cmd);
  });
});

/** A minimal second table: `put` writes one record in namespace 0x10, as the registry does. */
type TableCommand = { readonly type: 'tablePut'; readonly key: string; readonly lease: bigint };

function tableExtension(revoked: string[]): StoreExtension<TableCommand, number> {
  return {
    owns: (cmd): cmd is TableCommand => cmd.type === 'tablePut',
    async execute(scope, cmd) {
      const key = nsKey(NAMESPACE.nodes, b(cmd.key));
      const rev = scope.writeRevision;
      scope.recordPut({ key, value: b('record'), createRevision: rev, modRevision: rev, version: 1, lease: cmd.lease }, undefined);
      return rev;
    },
    prefetch: () => [],
    isCommandError: () => false,
    async revokeLeaseItem(scope, key, lease) {
      revoked.push(`${str(key.subarray(1))}@${lease}`);
      const rev = scope.writeRevision;
      scope.recordDelete({ key, value: b('record'), createRevision: rev, modRevision: rev, version: 1, lease });
      return true;
    },
  };
}

describe('namespaces', () => {
  it("share one revision counter, while etcd's ranges and events see only the KV namespace", async () => {
    const revoked: string[] = [];
    const store = await MvccStore.open<TableCommand, number>(new MemoryOrderedKv(), { extension: tableExtension(revoked) });
    const results = await store.apply([
      { index: 1, command: { type: 'put', request: putRequest(b('a'), b('1')) } },
      { index: 2, command: { type: 'tablePut', key: 'n1', lease: 0n } },
      { index: 3, command: { type: 'put', request: putRequest(b('b'), b('2')) } },
    ]);
    expect(results.map((r) => r.ok && r.response)).toEqual([expect.objectContaining({ type: 'put' }), 3, expect.objectContaining({ type: 'put' })]);
    expect(store.revision()).toBe(4);
    const all = await store.range(rangeRequest(Uint8Array.of(0), { rangeEnd: Uint8Array.of(0) }));
    expect(keysOf(all.kvs)).toEqual(['a', 'b']);
    expect((await store.events(1, 0)).map((g) => g.revision)).toEqual([2, 4]);
    expect((await store.allEvents(1, 0)).map((g) => [g.revision, g.events[0]!.kv.key[0]])).toEqual([
      [2, NAMESPACE.kv],
      [3, NAMESPACE.nodes],
      [4, NAMESPACE.kv],
    ]);
  });

  it("a revoked lease hands records of other tables to their owner and deletes etcd's keys itself", async () => {
    const revoked: string[] = [];
    const store = await MvccStore.open<TableCommand, number>(new MemoryOrderedKv(), { extension: tableExtension(revoked) });
    await store.apply([
      { index: 1, command: { type: 'leaseGrant', request: { id: 8n, ttl: 5 } } },
      { index: 2, command: { type: 'tablePut', key: 'n1', lease: 8n } },
      { index: 3, command: { type: 'put', request: putRequest(b('k'), b('v'), { lease: 8n }) } },
      { index: 4, command: { type: 'leaseRevoke', request: { id: 8n } } },
    ]);
    expect(revoked).toEqual(['n1@8']);
    expect(store.revision()).toBe(4);
    const [last] = await store.allEvents(4, 1);
    expect(last?.events.map((e) => [e.type, e.kv.key[0]])).toEqual([
      ['delete', NAMESPACE.kv],
      ['delete', NAMESPACE.nodes],
    ]);
  });

  it('a store that knows no other table refuses a lease item of one as corrupt', async () => {
    const kv = new MemoryOrderedKv();
    const writer = await MvccStore.open<TableCommand, number>(kv, { extension: tableExtension([]) });
    await writer.apply([
      { index: 1, command: { type: 'leaseGrant', request: { id: 8n, ttl: 5 } } },
      { index: 2, command: { type: 'tablePut', key: 'n1', lease: 8n } },
    ]);
    const plain = await MvccStore.open(kv);
    await expect(plain.apply([{ index: 3, command: { type: 'leaseRevoke', request: { id: 8n } } }])).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(plain.appliedIndex()).toBe(2);
  });
});
