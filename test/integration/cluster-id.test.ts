import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { enc, eventually, TestCluster } from './cluster-harness.js';

/**
 * Two clusters founded one after the other with the same names, the same addresses and the same
 * --initial-cluster list, but each with its own --initial-cluster-token: a data dir of the first
 * started as a member of the second is refused, naming both cluster ids, and never serves.
 */
describe('a cluster knows itself', () => {
  let c: TestCluster | undefined;
  afterAll(async () => {
    await c?.destroy();
  });

  const clusterIdOf = async (cl: TestCluster, name: string): Promise<string> =>
    String((await cl.call<{ header: { clusterId: string } }>(cl.server(name), 'Maintenance', 'Status', {})).header.clusterId);

  const putKeys = async (cl: TestCluster, n: number, prefix: string): Promise<void> => {
    const leader = await cl.waitForLeader();
    for (let i = 0; i < n; i++) await cl.call(leader, 'KV', 'Put', { key: enc(`${prefix}${i}`), value: enc('v') });
  };

  const countKeys = async (cl: TestCluster, name: string): Promise<number> =>
    Number((await cl.call<{ count: string }>(cl.server(name), 'KV', 'Range', { key: enc('k'), rangeEnd: enc('l'), countOnly: true, serializable: true })).count);

  it("a data dir of cluster A, started among cluster B's servers (same names and list), stops naming both ids", async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 250 });
    const idA = await clusterIdOf(c, 'n1');
    await putKeys(c, 22, 'k');
    for (const s of c.servers) await c.stop(s);
    for (const s of c.servers) renameSync(s.dataDir, `${s.dataDir}-A`);

    // Cluster B: the same list, another founding.
    c.token = randomBytes(8).toString('hex');
    await Promise.all(c.servers.map((s) => c!.launch(s, 'new')));
    const idB = await clusterIdOf(c, 'n1');
    expect(idB).not.toBe(idA);
    await putKeys(c, 21, 'k');

    // n1 of B is replaced by n1 of A (same name, same addresses, same flags).
    const n1 = c.server('n1');
    await c.stop(n1);
    renameSync(n1.dataDir, `${n1.dataDir}-B`);
    renameSync(`${n1.dataDir}-A`, n1.dataDir);
    await c.launch(n1, 'new').catch(() => undefined); // it may stop before or after its ready line
    await eventually('n1 (with A\'s data dir) stops', async () => (n1.proc === undefined ? true : undefined), 20_000);
    const refusal = n1.log.find((l) => l.startsWith('roster: '));
    expect(refusal, n1.log.slice(-10).join('\n')).toBeDefined();
    expect(refusal).toContain(`belongs to cluster ${idA}`);
    expect(refusal).toContain(`belong to cluster ${idB}`);
    expect(refusal).toMatch(/this data dir is another cluster's.*operator raft remove-peer n1/);

    // B's servers refused it too (and said so naming both ids), and carry on with B's data.
    const n2 = c.server('n2');
    expect(c.servers.slice(1).some((s) => s.log.some((l) => l.includes(`n1 belongs to cluster ${idA}`) && l.includes(`cluster ${idB}`)))).toBe(true);
    await c.waitForLeader(15_000, [n2, c.server('n3')]);
    expect(await countKeys(c, 'n2')).toBe(21);
    expect(n2.proc).toBeDefined();
  }, 120_000);
});
