import { describe, expect, it } from 'vitest';
import { putRequest } from '../../src/store/kv/requests.js';
import { checkOf, nodeOf } from '../../src/store/registry/builders.js';
import { decodeRegistryCommand, encodeRegistryCommand, type ConsulTxnOp, type ConsulTxnResult, type RegistryCommand } from '../../src/store/registry/commands.js';
import { readKvFlags } from '../../src/store/registry/kv-flags.js';
import { lockStates, nodeServices } from '../../src/store/registry/queries.js';
import { isRosterError } from '../../src/util/errors.js';
import { dec, enc, Fixture } from './registry-fixture.js';

const kv = (verb: Extract<ConsulTxnOp, { op: 'kv' }>['verb'], key: string, fields: { value?: string; flags?: bigint; index?: number; session?: string } = {}): ConsulTxnOp => ({
  op: 'kv',
  verb,
  key: enc.encode(key),
  value: enc.encode(fields.value ?? ''),
  flags: fields.flags ?? 0n,
  index: fields.index ?? 0,
  session: fields.session ?? '',
});

const service = (node: string, id: string, port = 80): Extract<ConsulTxnOp, { op: 'service' }>['service'] => ({ node, id, name: id, tags: [], address: '', port, meta: {}, weights: { passing: 1, warning: 1 } });

/** Runs a transaction through the log encoding, as every server applies it. */
async function txn(f: Fixture, ops: ConsulTxnOp[]): Promise<readonly ConsulTxnResult[]> {
  const cmd = decodeRegistryCommand(encodeRegistryCommand({ type: 'consulTxn', ops }));
  return (await f.ok(cmd)).txn!;
}

/** A transaction that must fail: the op index and message it failed with. */
async function aborted(f: Fixture, ops: ConsulTxnOp[]): Promise<{ opIndex: unknown; what: string }> {
  const [r] = await f.store.apply([{ index: ++f.index, command: decodeRegistryCommand(encodeRegistryCommand({ type: 'consulTxn', ops })) }]);
  if (r!.ok) throw new Error('expected the transaction to fail');
  expect(r!.error.code).toBe('TXN_ABORTED');
  return { opIndex: r!.error.details.opIndex, what: r!.error.message };
}

const kvResult = (r: ConsulTxnResult | undefined): Extract<ConsulTxnResult, { kind: 'kv' }> => {
  if (r?.kind !== 'kv') throw new Error(`not a kv result: ${JSON.stringify(r)}`);
  return r;
};

describe("Consul's transactions in the registry", () => {
  it('KV: set with flags, get in the same transaction sees it; flags belong to the value written with them', async () => {
    const f = await Fixture.create();
    const r = await txn(f, [kv('set', 'app/a', { value: 'one', flags: 42n }), kv('get', 'app/a'), kv('set', 'app/b', { value: 'two' })]);
    expect(r).toHaveLength(3);
    expect(kvResult(r[0])).toMatchObject({ value: undefined, flags: 42n, lockIndex: 0 });
    expect(dec.decode(kvResult(r[1]).value)).toBe('one');
    expect(kvResult(r[1]).flags).toBe(42n);
    // The largest flags value survives the log encoding.
    await txn(f, [kv('set', 'app/max', { value: 'x', flags: (1n << 64n) - 1n })]);
    expect(kvResult((await txn(f, [kv('get', 'app/max')]))[0]).flags).toBe((1n << 64n) - 1n);
    // An etcd put of the key gives it a new value without flags.
    const [put] = await f.store.apply([{ index: ++f.index, command: { type: 'put', request: putRequest(enc.encode('app/a'), enc.encode('etcd')) } }]);
    expect(put!.ok).toBe(true);
    const after = kvResult((await txn(f, [kv('get', 'app/a')]))[0]);
    expect(dec.decode(after.value)).toBe('etcd');
    expect(after.flags).toBe(0n);
    expect(await f.store.read((v) => readKvFlags(v.kv, enc.encode('app/b'), 0))).toBe(0n);
  });

  it('KV: a failing check undoes every operation before it, and names its index', async () => {
    const f = await Fixture.create();
    const [first] = await txn(f, [kv('set', 'k', { value: 'v1' })]);
    const index = kvResult(first).modRevision;
    const fail = await aborted(f, [kv('set', 'other', { value: 'x' }), kv('delete', 'k'), kv('cas', 'k', { value: 'v2', index: index + 100 })]);
    expect(fail.opIndex).toBe(2);
    expect(fail.what).toMatch(/failed to set key "k", it does not exist/);
    expect(await f.value('other')).toBeUndefined();
    expect(await f.value('k')).toBe('v1');
    expect((await aborted(f, [kv('cas', 'k', { value: 'v2', index: index + 100 })])).what).toMatch(/index is stale \(current modify index \d+ != \d+\)/);
    expect((await aborted(f, [kv('cas', 'k', { value: 'v2', index: 0 })])).what).toMatch(/it exists/);
    expect((await aborted(f, [kv('check-not-exists', 'k')])).opIndex).toBe(0);
    expect((await aborted(f, [kv('get', 'nope')])).what).toBe('key "nope" doesn\'t exist');
    // check-index, then cas and delete-cas at the current index, then get-tree and delete-tree.
    await txn(f, [kv('check-index', 'k', { index }), kv('cas', 'k', { value: 'v2', index }), kv('set', 'k/x', { value: 'x' })]);
    expect(await f.value('k')).toBe('v2');
    const tree = await txn(f, [kv('get-tree', 'k')]);
    expect(tree.map((t) => dec.decode(kvResult(t).key))).toEqual(['k', 'k/x']);
    await txn(f, [kv('delete-tree', 'k')]);
    expect(await f.value('k')).toBeUndefined();
    expect(await f.value('k/x')).toBeUndefined();
  });

  it("a ranged read of locks and flags (what Consul's KV GET reports) merges both, drops flags of an older value, and keeps the first keys of both under a limit", async () => {
    const f = await Fixture.create();
    await f.session('s1', { checks: [] });
    await txn(f, [kv('set', 'm/a', { value: 'a', flags: 1n }), kv('set', 'm/c', { value: 'c', flags: 3n }), kv('lock', 'm/b', { value: 'b', session: 's1' }), kv('lock', 'm/d', { value: 'd', session: 's1', flags: 4n })]);
    // m/c written again without flags: its flags record stays, stale.
    const [put] = await f.store.apply([{ index: ++f.index, command: { type: 'put', request: putRequest(enc.encode('m/c'), enc.encode('c2')) } }]);
    expect(put!.ok).toBe(true);
    const views = (limit: number) => f.store.read(async (v) => (await lockStates(v.kv, enc.encode('m/'), enc.encode('m0'), limit)).map((l) => `${dec.decode(l.key)}:${l.session}:${l.flags}`));
    expect(await views(100)).toEqual(['m/a::1', 'm/b:s1:0', 'm/d:s1:4']);
    expect(await views(2)).toEqual(['m/a::1', 'm/b:s1:0']);
  });

  it('locks: lock, check-session and unlock as the holder; another session is refused; an unknown session is named', async () => {
    const f = await Fixture.create();
    await f.session('s1', { checks: [] });
    await f.session('s2', { checks: [] });
    const [locked] = await txn(f, [kv('lock', 'leader', { value: 'me', session: 's1', flags: 7n })]);
    expect(kvResult(locked)).toMatchObject({ lockIndex: 1, session: 's1', flags: 7n });
    expect(await f.lock('leader')).toMatchObject({ session: 's1', lockIndex: 1, value: 'me' });
    expect((await aborted(f, [kv('lock', 'leader', { value: 'you', session: 's2' })])).what).toBe('failed to lock key "leader", lock is already held');
    expect((await aborted(f, [kv('check-session', 'leader', { session: 's2' })])).what).toMatch(/current session "s1" != "s2"/);
    expect((await aborted(f, [kv('unlock', 'leader', { session: 's2' })])).what).toMatch(/lock isn't held, or is held by another session/);
    expect((await aborted(f, [kv('lock', 'other', { session: 'no-such' })])).what).toMatch(/invalid session "no-such"/);
    await txn(f, [kv('check-session', 'leader', { session: 's1' }), kv('unlock', 'leader', { value: 'bye', session: 's1' })]);
    expect(await f.lock('leader')).toMatchObject({ session: '', lockIndex: 1, value: 'bye' });
    // Free again: the other session takes it.
    expect(kvResult((await txn(f, [kv('lock', 'leader', { value: 'you', session: 's2' })]))[0])).toMatchObject({ lockIndex: 2, session: 's2' });
  });

  it('node, service and check operations: registered together, got, refused on a missing node, deleted with cas', async () => {
    const f = await Fixture.create();
    const node = nodeOf('web-1', '10.0.0.9');
    const check = { ...checkOf('web-1', 'web-alive', { status: 'passing' }), serviceId: 'web', serviceName: '' };
    const r = await txn(f, [{ op: 'node', verb: 'set', node, index: 0 }, { op: 'service', verb: 'set', service: service('web-1', 'web', 8080), index: 0 }, { op: 'check', verb: 'set', check, index: 0 }]);
    expect(r.map((x) => x.kind)).toEqual(['node', 'service', 'check']);
    const got = await f.store.read((v) => nodeServices(v.kv, 'web-1'));
    expect(got?.services.map((s) => [s.record.id, s.record.port])).toEqual([['web', 8080]]);
    expect(got?.checks.map((c) => [c.record.id, c.record.serviceName, c.record.status])).toEqual([['web-alive', 'web', 'passing']]);
    expect((await aborted(f, [{ op: 'service', verb: 'set', service: service('ghost', 'x'), index: 0 }])).what).toBe('failed to set service "x": node "ghost" doesn\'t exist');
    expect((await aborted(f, [{ op: 'check', verb: 'set', check: { ...check, id: 'c2', serviceId: 'nope' }, index: 0 }])).what).toMatch(/service "nope" on node "web-1" doesn't exist/);
    // cas at 0 only creates; at a stale index nothing changes.
    expect((await aborted(f, [{ op: 'node', verb: 'cas', node, index: 0 }])).what).toMatch(/index is stale/);
    const second = r[1]!;
    const svc = second.kind === 'service' ? second.service : undefined;
    const moved = await txn(f, [{ op: 'service', verb: 'cas', service: service('web-1', 'web', 9090), index: svc!.modRevision }]);
    const m0 = moved[0]!;
    expect(m0.kind === 'service' && m0.service.record.port).toBe(9090);
    expect((await aborted(f, [{ op: 'service', verb: 'delete-cas', service: service('web-1', 'web'), index: svc!.modRevision }])).what).toMatch(/failed to delete service "web" on node "web-1", index is stale/);
    const gotNode = (await txn(f, [{ op: 'node', verb: 'get', node: { ...node, address: '' }, index: 0 }]))[0]!;
    expect(gotNode.kind === 'node' && gotNode.node.record.address).toBe('10.0.0.9');
    await txn(f, [{ op: 'node', verb: 'delete-cas', node, index: gotNode.kind === 'node' ? gotNode.node.modRevision : 0 }]);
    expect(await f.store.read((v) => nodeServices(v.kv, 'web-1'))).toBeUndefined();
  });

  it('a check set critical in a transaction ends the sessions bound to it, as a registration does', async () => {
    const f = await Fixture.create();
    await f.session('s1', { checks: ['disk'] });
    await f.acquire('held', 'v', 's1');
    await txn(f, [{ op: 'check', verb: 'set', check: checkOf('n1', 'disk', { status: 'critical' }), index: 0 }]);
    expect(f.ended.map((e) => e.id)).toEqual(['s1']);
    expect((await f.lock('held')).session).toBe('');
  });

  it("bounds what every server builds: results past 4 MiB undo the transaction and say how to read instead", async () => {
    const f = await Fixture.create();
    const big = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 11; i++) await txn(f, [kv('set', `big/${i}`, { value: big })]);
    const fail = await aborted(f, [kv('set', 'big/marker', { value: 'm' }), kv('get-tree', 'big/')]);
    expect(fail.opIndex).toBe(1);
    expect(fail.what).toMatch(/results pass 4194304 bytes: read a large prefix with GET \/v1\/kv\/PREFIX\?recurse instead/);
    expect(await f.value('big/marker')).toBeUndefined();
    // Under the bound it is answered.
    expect(await txn(f, [kv('get-tree', 'big/1')])).toHaveLength(2);
  });

  it('is bounded and checked as it applies: 64 operations, known verbs, uint64 flags', async () => {
    const f = await Fixture.create();
    const refused = async (cmd: unknown): Promise<string> => {
      try {
        await f.ok(cmd as RegistryCommand);
      } catch (err) {
        if (isRosterError(err)) return err.message;
      }
      throw new Error('expected a refusal');
    };
    expect(await refused({ type: 'consulTxn', ops: Array.from({ length: 65 }, (_, i) => kv('set', `k${i}`)) })).toMatch(/1-64 operations/);
    expect(await refused({ type: 'consulTxn', ops: [] })).toMatch(/1-64 operations/);
    expect(await refused({ type: 'consulTxn', ops: [{ ...kv('set', 'k'), verb: 'upsert' }] })).toMatch(/ops\[0\]\.verb/);
    expect(await refused({ type: 'consulTxn', ops: [{ ...kv('set', 'k'), flags: 1n << 64n }] })).toMatch(/ops\[0\]\.flags/);
    expect(await refused({ type: 'consulTxn', ops: [kv('set', '')] })).toMatch(/ops\[0\]\.key/);
    expect(await refused({ type: 'consulTxn', ops: [kv('lock', 'k')] })).toMatch(/ops\[0\]\.session/);
    expect(await f.value('k0')).toBeUndefined();
  });
});
