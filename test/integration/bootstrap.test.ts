import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster } from './cluster-harness.js';

/** Servers that know nothing of each other but one gossip address form one Raft cluster. */
describe('--bootstrap-expect 3', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({
      servers: 3,
      hostBase: 140,
      bootstrapExpect: 3,
      // Faster than the defaults (10 s stabilization, 30 s before a dead server goes) to keep the test short.
      gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200', '--autopilot-stabilization-ms', '1000', '--autopilot-dead-server-ms', '2000'] },
    });
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

  const raftMembers = async (): Promise<string[]> => {
    const leader = await c.waitForLeader(15_000, c.running());
    const r = await c.call<{ members: { name: string; isLearner: boolean }[] }>(leader, 'Cluster', 'MemberList', {});
    return r.members.map((m) => `${m.name}:${m.isLearner ? 'learner' : 'voter'}`).sort();
  };

  it('autopilot: a server started later joins as a learner and is promoted once caught up and stable', async () => {
    const n4 = await c.addServer();
    await c.launch(n4, 'new');
    const members = await eventually('n4 a voter', async () => {
      const m = await raftMembers();
      return m.includes('n4:voter') ? m : undefined;
    }, 30_000).catch((err: unknown) => {
      for (const s of c.servers) console.log('LOG', s.name, s.log.filter((l) => /autopilot|joining|bootstrapping|role changed|warn|error/.test(l)).slice(-8).map((l) => l.slice(40, 320)).join('\n'));
      throw err;
    });
    expect(members).toEqual(['n1:voter', 'n2:voter', 'n3:voter', 'n4:voter']);
    const r = await eventually('n4 has the data', async () => {
      const got = await c.call<{ kvs: { value: Buffer }[] }>(n4, 'KV', 'Range', { key: Buffer.from('formed'), serializable: true });
      return got.kvs[0]?.value.toString();
    });
    expect(r).toBe('yes');
  });

  it('autopilot: a server that failed is removed from Raft after the grace time, keeping a quorum', async () => {
    const leader = await c.waitForLeader();
    const victim = c.servers.find((s) => s !== leader && s.name !== 'n4')!;
    c.kill9(victim);
    const members = await eventually(`${victim.name} removed`, async () => {
      const m = await raftMembers();
      return m.some((x) => x.startsWith(`${victim.name}:`)) ? undefined : m;
    }, 30_000);
    expect(members).toHaveLength(3);
    expect(members.every((m) => m.endsWith(':voter'))).toBe(true);
  });
});
