import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface GrantRes {
  ID: string;
  TTL: string;
}
interface TtlRes {
  ID: string;
  TTL: string;
  grantedTTL: string;
  keys: Buffer[];
}
interface RangeRes {
  kvs: { key: Buffer; value: Buffer; lease: string }[];
}

/** Sends one keep-alive on a stream and waits for its answer. */
function keepAliveOnce(stream: grpc.ClientDuplexStream<{ ID: string }, { ID: string; TTL: string }>, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = (res: { ID: string; TTL: string }): void => {
      if (res.ID !== id) return;
      stream.off('data', onData);
      resolve(Number(res.TTL));
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.write({ ID: id });
  });
}

describe('etcd leases on a 3-server cluster', () => {
  let c: TestCluster;
  let leader: ServerProc;
  let follower: ServerProc;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 40 });
    leader = await c.waitForLeader();
    follower = c.servers.find((s) => s !== leader)!;
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('grants through a follower, attaches keys, renews through a follower stream, and revoke deletes the keys', async () => {
    const g = await c.call<GrantRes>(follower, 'Lease', 'LeaseGrant', { TTL: 30, ID: 0 });
    expect(BigInt(g.ID)).toBeGreaterThan(0n);
    expect(g.TTL).toBe('30');
    await c.call(follower, 'KV', 'Put', { key: enc('leased/a'), value: enc('1'), lease: g.ID });
    await c.call(leader, 'KV', 'Put', { key: enc('leased/b'), value: enc('2'), lease: g.ID });
    const ttl = await c.call<TtlRes>(follower, 'Lease', 'LeaseTimeToLive', { ID: g.ID, keys: true });
    expect(ttl.grantedTTL).toBe('30');
    expect(Number(ttl.TTL)).toBeGreaterThan(25);
    expect(ttl.keys.map(dec).sort()).toEqual(['leased/a', 'leased/b']);
    const stream = c.keepAliveStream(follower);
    expect(await keepAliveOnce(stream, g.ID)).toBe(30);
    expect(await keepAliveOnce(stream, '987654321')).toBe(0); // unknown lease: TTL 0, as etcd
    stream.end();
    const listed = await c.call<{ leases: { ID: string }[] }>(follower, 'Lease', 'LeaseLeases', {});
    expect(listed.leases.map((l) => l.ID)).toContain(g.ID);
    await c.call(follower, 'Lease', 'LeaseRevoke', { ID: g.ID });
    for (const s of c.servers) {
      const r = await c.call<RangeRes>(s, 'KV', 'Range', { key: enc('leased/'), rangeEnd: enc('leased0') });
      expect(r.kvs).toEqual([]);
    }
    const gone = await c.call<TtlRes>(leader, 'Lease', 'LeaseTimeToLive', { ID: g.ID });
    expect(gone.TTL).toBe('-1');
    await expect(c.call(leader, 'Lease', 'LeaseRevoke', { ID: g.ID })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: 'etcdserver: requested lease not found' });
  });

  it('refuses a key on a missing lease and a duplicate lease id with etcd errors', async () => {
    await expect(c.call(follower, 'KV', 'Put', { key: enc('x'), value: enc('1'), lease: '4242' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
      details: 'etcdserver: requested lease not found',
    });
    await c.call(follower, 'Lease', 'LeaseGrant', { TTL: 10, ID: 777 });
    await expect(c.call(follower, 'Lease', 'LeaseGrant', { TTL: 10, ID: 777 })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'etcdserver: lease already exists',
    });
  });

  it('expires a lease nobody renews, deleting its keys on every server', async () => {
    const g = await c.call<GrantRes>(follower, 'Lease', 'LeaseGrant', { TTL: 2, ID: 0 });
    await c.call(follower, 'KV', 'Put', { key: enc('short'), value: enc('lived'), lease: g.ID });
    const granted = Date.now();
    await eventually('the key expires with its lease', async () => {
      const r = await c.call<RangeRes>(follower, 'KV', 'Range', { key: enc('short') });
      return r.kvs.length === 0 ? true : undefined;
    });
    const lived = Date.now() - granted;
    expect(lived).toBeGreaterThanOrEqual(1900);
    expect(lived).toBeLessThan(6000);
    for (const s of c.servers) expect((await c.call<RangeRes>(s, 'KV', 'Range', { key: enc('short'), serializable: true })).kvs).toEqual([]);
  });

  it('a lease kept alive survives kill -9 of the leader, and a new leader never expires it early', async () => {
    const ttlSeconds = 4;
    const g = await c.call<GrantRes>(follower, 'Lease', 'LeaseGrant', { TTL: ttlSeconds, ID: 0 });
    await c.call(follower, 'KV', 'Put', { key: enc('survivor'), value: enc('alive'), lease: g.ID });
    const old = await c.waitForLeader();
    const survivor = c.servers.find((s) => s !== old)!;
    const stream = c.keepAliveStream(survivor);
    expect(await keepAliveOnce(stream, g.ID)).toBe(ttlSeconds);
    const renewedAt = Date.now();
    c.kill9(old);
    const next = await c.waitForLeader(15_000, c.running());
    expect(next).not.toBe(old);
    // No renewal since just before the crash: the lease must still be alive a whole TTL later.
    while (Date.now() < renewedAt + ttlSeconds * 1000 - 300) {
      const r = await c.call<RangeRes>(survivor, 'KV', 'Range', { key: enc('survivor') });
      expect(r.kvs.map((kv) => dec(kv.value))).toEqual(['alive']);
      await new Promise((res) => setTimeout(res, 250));
    }
    // Renewed through the new leader, it keeps living past several TTLs.
    const keeper = c.keepAliveStream(survivor);
    const until = Date.now() + 3 * ttlSeconds * 1000;
    while (Date.now() < until) {
      expect(await keepAliveOnce(keeper, g.ID)).toBe(ttlSeconds);
      await new Promise((res) => setTimeout(res, 1000));
    }
    const r = await c.call<RangeRes>(survivor, 'KV', 'Range', { key: enc('survivor') });
    expect(r.kvs.map((kv) => dec(kv.value))).toEqual(['alive']);
    keeper.end();
    stream.end();
    await c.launch(old, 'new');
  });
});
