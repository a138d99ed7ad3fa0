import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, errorText, TestCluster } from './cluster-harness.js';

interface Member {
  ID: string;
  name: string;
  isLearner: boolean;
  peerURLs: string[];
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${errorText(last)}`}`);
}

describe('membership changes on a running cluster', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 40, snapshotEvery: 50 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('a 4th server joins as a learner, catches up, and is promoted', async () => {
    const leader = await c.waitForLeader();
    for (let i = 0; i < 30; i++) await c.call(leader, 'KV', 'Put', { key: enc(`pre${i}`), value: enc('x') });
    const fresh = await c.addServer();
    const added = await c.call<{ member: Member }>(leader, 'Cluster', 'MemberAdd', { peerURLs: [`http://${fresh.peerAddr}`], isLearner: true });
    expect(added.member.isLearner).toBe(true);
    await c.launch(fresh, 'existing', added.member.name);
    const st = await until('the learner to catch up', async () => {
      const [l, f] = await Promise.all([c.status(leader), c.status(fresh)]);
      return f.isLearner && f.applied >= l.applied && l.applied > 0 ? f : undefined;
    });
    expect(st.isLearner).toBe(true);
    await c.call(leader, 'Cluster', 'MemberPromote', { ID: added.member.ID });
    const members = await c.call<{ members: Member[] }>(fresh, 'Cluster', 'MemberList', { linearizable: true });
    expect(members.members.map((m) => [m.name, m.isLearner])).toEqual([
      [added.member.name, false],
      ['n1', false],
      ['n2', false],
      ['n3', false],
    ]);
    const r = await c.call<{ kvs: unknown[] }>(fresh, 'KV', 'Range', { key: enc('pre'), rangeEnd: enc('prf') });
    expect(r.kvs).toHaveLength(30);
  });

  it('moves leadership to a named server', async () => {
    const leader = await c.waitForLeader();
    const target = c.running().find((s) => s !== leader)!;
    const tid = (await c.status(target)).memberId;
    await c.call(leader, 'Maintenance', 'MoveLeader', { targetID: tid });
    expect(await c.waitForLeader()).toBe(target);
  });

  it('removes a server; the rest keep working', async () => {
    const leader = await c.waitForLeader();
    const victim = c.running().find((s) => s !== leader)!;
    const vid = (await c.status(victim)).memberId;
    await c.call(leader, 'Cluster', 'MemberRemove', { ID: vid });
    const members = await c.call<{ members: Member[] }>(leader, 'Cluster', 'MemberList', {});
    expect(members.members.map((m) => m.ID)).not.toContain(vid);
    await c.stop(victim);
    await c.call(leader, 'KV', 'Put', { key: enc('after-remove'), value: enc('ok') });
    expect((await c.call<{ kvs: unknown[] }>(leader, 'KV', 'Range', { key: enc('after-remove') })).kvs).toHaveLength(1);
  });

  it('a server whose data was lost rejoins empty and is brought up to date by InstallSnapshot', async () => {
    const leader = await c.waitForLeader();
    const victim = c.running().find((s) => s !== leader)!;
    const vid = (await c.status(victim)).memberId;
    await c.stop(victim);
    // Raft relies on durable storage (including votes cast), so a server that lost its data
    // leaves and comes back as a new, empty member.
    await c.call(leader, 'Cluster', 'MemberRemove', { ID: vid });
    for (let i = 0; i < 200; i++) await c.call(leader, 'KV', 'Put', { key: enc(`snap/${i}`), value: enc(`v${i}`) });
    c.wipe(victim);
    const added = await c.call<{ member: Member }>(leader, 'Cluster', 'MemberAdd', { peerURLs: [`http://${victim.peerAddr}`], isLearner: true });
    await c.launch(victim, 'existing', added.member.name);
    await until('the snapshot to be installed', async () => (victim.log.some((l) => l.includes('installed snapshot')) ? true : undefined));
    const r = await until('the rejoined server to serve the data', async () => {
      const res = await c.call<{ kvs: { value: Buffer }[] }>(victim, 'KV', 'Range', { key: enc('snap/'), rangeEnd: enc('snap0'), serializable: true });
      return res.kvs.length === 200 ? res : undefined;
    });
    expect(dec(r.kvs[0]!.value)).toBe('v0');
    await c.call(leader, 'Cluster', 'MemberPromote', { ID: added.member.ID });
  });
});
