import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, TestCluster } from './cluster-harness.js';

describe('reads on a server cut off from the leader', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 50 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('serve serializable reads (reporting staleness) and refuse linearizable ones with UNAVAILABLE', async () => {
    const leader = await c.waitForLeader();
    await c.call(leader, 'KV', 'Put', { key: enc('k'), value: enc('before') });
    const [alone, other] = c.servers.filter((s) => s !== leader) as [typeof leader, typeof leader];
    await c.waitForLeader(); // `alone` has applied the put
    // Freeze the leader and the other follower: `alone` has no quorum and no leader.
    c.pause(leader);
    c.pause(other);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const stale = await c.call<{ kvs: { value: Buffer }[] }>(alone, 'KV', 'Range', { key: enc('k'), serializable: true });
      expect(stale.kvs.map((kv) => dec(kv.value))).toEqual(['before']);
      await expect(c.call(alone, 'KV', 'Range', { key: enc('k') }, { timeoutMs: 3000 })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      await expect(c.call(alone, 'KV', 'Put', { key: enc('k'), value: enc('x') }, { timeoutMs: 3000 })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      // With a staleness bound the serializable read is refused too.
      await expect(c.call(alone, 'KV', 'Range', { key: enc('k'), serializable: true }, { metadata: { 'roster-max-staleness-ms': '500' } })).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      c.resume(leader);
      c.resume(other);
    }
    await c.waitForLeader();
    await c.call(alone, 'KV', 'Put', { key: enc('k'), value: enc('after') });
    const r = await c.call<{ kvs: { value: Buffer }[] }>(alone, 'KV', 'Range', { key: enc('k') });
    expect(r.kvs.map((kv) => dec(kv.value))).toEqual(['after']);
  });
});
