import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster } from './cluster-harness.js';

/** Servers that know nothing of each other but one gossip address form one Raft cluster. */
describe('--bootstrap-expect 3', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 140, bootstrapExpect: 3, gossip: { extraArgs: [] } });
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
  });

  it("three servers, each given one other's gossip address, form one cluster with one leader", async () => {
    const leader = await c.waitForLeader();
    const statuses = await Promise.all(c.servers.map((s) => c.status(s)));
    expect(new Set(statuses.map((st) => st.leader)).size).toBe(1);
    const members = await c.call<{ members: { name: string; isLearner: boolean }[]; header: { clusterId: string } }>(leader, 'Cluster', 'MemberList', {});
    expect(members.members.map((m) => m.name).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(members.members.every((m) => !m.isLearner)).toBe(true);
    // One cluster: every server reports the same cluster id, and a write on one is read on all.
    const ids = await Promise.all(c.servers.map(async (s) => (await c.call<{ header: { clusterId: string } }>(s, 'Maintenance', 'Status', {})).header.clusterId));
    expect(new Set(ids).size).toBe(1);
    await c.call(c.servers[2]!, 'KV', 'Put', { key: Buffer.from('formed'), value: Buffer.from('yes') });
    for (const s of c.servers) {
      await eventually(`read on ${s.name}`, async () => {
        const r = await c.call<{ kvs: { value: Buffer }[] }>(s, 'KV', 'Range', { key: Buffer.from('formed') });
        return r.kvs[0]?.value.toString() === 'yes' ? true : undefined;
      });
    }
  });

  it('a restarted server does not bootstrap again: it rejoins its cluster', async () => {
    const before = (await c.call<{ header: { clusterId: string } }>(c.servers[0]!, 'Maintenance', 'Status', {})).header.clusterId;
    c.kill9(c.servers[0]!);
    await c.launch(c.servers[0]!, 'new');
    const after = (await c.call<{ header: { clusterId: string } }>(c.servers[0]!, 'Maintenance', 'Status', {})).header.clusterId;
    expect(after).toBe(before);
    const r = await eventually('the old write', async () => {
      const got = await c.call<{ kvs: { value: Buffer }[] }>(c.servers[0]!, 'KV', 'Range', { key: Buffer.from('formed'), serializable: true });
      return got.kvs[0]?.value.toString();
    });
    expect(r).toBe('yes');
  });
});
