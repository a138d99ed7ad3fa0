import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, TestCluster } from './cluster-harness.js';

interface RangeRes {
  kvs: { key: Buffer; value: Buffer }[];
  header: { revision: string };
}

describe('a 3-server cluster', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 10 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('elects one leader and accepts writes on any server (followers forward them)', async () => {
    const leader = await c.waitForLeader();
    const follower = c.servers.find((s) => s !== leader)!;
    await c.call(follower, 'KV', 'Put', { key: enc('via-follower'), value: enc('1') });
    await c.call(leader, 'KV', 'Put', { key: enc('via-leader'), value: enc('2') });
    for (const s of c.servers) {
      const r = await c.call<RangeRes>(s, 'KV', 'Range', { key: enc('via-'), rangeEnd: enc('via.') });
      expect(r.kvs.map((kv) => `${dec(kv.key)}=${dec(kv.value)}`)).toEqual(['via-follower=1', 'via-leader=2']);
    }
  });

  it("refuses a request over etcd's 1.5 MiB limit with etcd's error, and takes one just under it", async () => {
    const leader = await c.waitForLeader();
    const follower = c.servers.find((s) => s !== leader)!;
    await expect(c.call(follower, 'KV', 'Put', { key: enc('big'), value: Buffer.alloc(1.6 * 1024 * 1024) })).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: 'etcdserver: request is too large',
    });
    await c.call(follower, 'KV', 'Put', { key: enc('big'), value: Buffer.alloc(1024 * 1024) });
    const r = await c.call<{ kvs: { value: Buffer }[] }>(leader, 'KV', 'Range', { key: enc('big') });
    expect(r.kvs[0]!.value.length).toBe(1024 * 1024);
  });

  it('keeps every acknowledged write through kill -9 of the leader, and the restarted server catches up', async () => {
    const leader = await c.waitForLeader();
    for (let i = 0; i < 20; i++) await c.call(leader, 'KV', 'Put', { key: enc(`k${i}`), value: enc(`v${i}`) });
    c.kill9(leader);
    const next = await c.waitForLeader(15_000, c.running());
    expect(next).not.toBe(leader);
    await c.call(next, 'KV', 'Put', { key: enc('after'), value: enc('failover') });
    await c.launch(leader, 'new');
    // The restarted server serves everything, including what was written while it was down.
    const until = Date.now() + 10_000;
    let seen: string[] = [];
    while (Date.now() < until) {
      const r = await c.call<RangeRes>(leader, 'KV', 'Range', { key: enc('after'), serializable: true });
      seen = r.kvs.map((kv) => dec(kv.value));
      if (seen.length === 1) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(seen).toEqual(['failover']);
    const all = await c.call<RangeRes>(leader, 'KV', 'Range', { key: enc('k'), rangeEnd: enc('l') });
    expect(all.kvs).toHaveLength(20);
  });

  it('keeps every acknowledged write through kill -9 of a follower', async () => {
    const leader = await c.waitForLeader();
    const follower = c.running().find((s) => s !== leader)!;
    c.kill9(follower);
    for (let i = 0; i < 10; i++) await c.call(leader, 'KV', 'Put', { key: enc(`f${i}`), value: enc('x') });
    await c.launch(follower, 'new');
    await c.waitForLeader(); // the restarted follower has heard from the leader
    const r = await c.call<RangeRes>(follower, 'KV', 'Range', { key: enc('f'), rangeEnd: enc('g') });
    expect(r.kvs).toHaveLength(10);
  });
});

describe('a 5-server cluster', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 5, hostBase: 20 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('forms, and survives two servers down', async () => {
    const leader = await c.waitForLeader();
    const others = c.servers.filter((s) => s !== leader);
    c.kill9(others[0]!);
    c.kill9(others[1]!);
    await c.call(leader, 'KV', 'Put', { key: enc('five'), value: enc('ok') }, { timeoutMs: 10_000 });
    const r = await c.call<RangeRes>(others[2]!, 'KV', 'Range', { key: enc('five') });
    expect(r.kvs.map((kv) => dec(kv.value))).toEqual(['ok']);
  });
});
