import { describe, expect, it } from 'vitest';
import { awaitBootstrap, type RunningCluster } from '../../src/server/bootstrap-expect.js';
import { clusterIdOf } from '../../src/server/identity.js';
import type { MemberView } from '../../src/gossip/member-table.js';
import { silentLogger } from '../../src/util/logger.js';

const server = (name: string, i: number, state: MemberView['state'] = 'alive', datacenter = 'dc1'): MemberView => ({
  name,
  addr: `10.0.0.${i}:8301`,
  incarnation: 1,
  state,
  // Deciding servers announce a founding token (run-server.ts): t1 for n1 and so on.
  meta: { role: 'server', datacenter, rpcAddr: `10.0.0.${i}:8300`, apiAddr: `10.0.0.${i}:8502`, version: '0.1.0', clusterId: `founding-token:t${i}` },
  stateChangedAt: 0,
});

const base = { self: 'n1', expect: 3, datacenter: 'dc1', logger: silentLogger, settleMs: 0 };

describe('awaitBootstrap (bootstrap-expect)', () => {
  it('founds with exactly the servers seen once there are enough, sorted by name', async () => {
    const members = [server('n3', 3), server('n1', 1), server('n2', 2)];
    const d = await awaitBootstrap({ ...base, members: () => members, probe: async () => 'absent' as const });
    // The lowest-named founder's token: every founder sees it, so all take the same cluster id.
    expect(d).toEqual({ kind: 'found', initialCluster: { n1: '10.0.0.1:8300', n2: '10.0.0.2:8300', n3: '10.0.0.3:8300' }, token: 't1' });
  });

  it('two foundings by servers of the same names and addresses get different tokens, so different cluster ids', async () => {
    const again = (t: string): MemberView[] => [1, 2, 3].map((i) => ({ ...server(`n${i}`, i), meta: { ...server(`n${i}`, i).meta, clusterId: `founding-token:${t}${i}` } }));
    const a = await awaitBootstrap({ ...base, members: () => again('a'), probe: async () => 'absent' as const });
    const b = await awaitBootstrap({ ...base, members: () => again('b'), probe: async () => 'absent' as const });
    if (a.kind !== 'found' || b.kind !== 'found') throw new Error('expected both to found');
    expect(a.initialCluster).toEqual(b.initialCluster);
    expect(clusterIdOf(a.initialCluster, a.token)).not.toBe(clusterIdOf(b.initialCluster, b.token));
  });

  it('does not count clients, failed servers or other datacenters, and waits for enough', async () => {
    const members = [server('n1', 1), server('n2', 2), server('n3', 3, 'dead'), server('x', 4, 'alive', 'dc2'), { ...server('c1', 5), meta: { ...server('c1', 5).meta, role: 'client' as const } }];
    const outcome = await Promise.race([awaitBootstrap({ ...base, members: () => members, probe: async () => 'absent' as const }), new Promise((r) => setTimeout(() => r('still waiting'), 700))]);
    expect(outcome).toBe('still waiting');
  });

  it('a quicker founder whose founding configuration lists this server: found with exactly it', async () => {
    const founding = { n1: '10.0.0.1:8300', n2: '10.0.0.2:8300', n3: '10.0.0.3:8300' };
    const running: RunningCluster = { clusterId: clusterIdOf(founding, 't1'), members: founding };
    const d = await awaitBootstrap({ ...base, members: () => [server('n1', 1), server('n2', 2)], probe: async (api) => (api === '10.0.0.2:8502' ? running : ('absent' as const)) });
    expect(d).toEqual({ kind: 'found', initialCluster: founding, token: 't1' });
  });

  it('a cluster whose membership changed since founding lists this server (autopilot added it): join', async () => {
    const founding = { n2: '10.0.0.2:8300', n3: '10.0.0.3:8300', n4: '10.0.0.4:8300' };
    const running: RunningCluster = { clusterId: clusterIdOf(founding), members: { ...founding, n1: '10.0.0.1:8300' } };
    const d = await awaitBootstrap({ ...base, members: () => [server('n1', 1), server('n2', 2), server('n3', 3)], probe: async () => running });
    expect(d).toEqual({ kind: 'join', clusterId: running.clusterId, via: 'n2', servers: founding });
  });

  it('a running cluster without this server: join it, never found a second one', async () => {
    const running: RunningCluster = { clusterId: '42', members: { n2: '10.0.0.2:8300', n3: '10.0.0.3:8300', n4: '10.0.0.4:8300' } };
    const d = await awaitBootstrap({ ...base, members: () => [server('n1', 1), server('n2', 2), server('n3', 3), server('n4', 4)], probe: async () => running });
    expect(d).toEqual({ kind: 'join', clusterId: '42', via: 'n2', servers: running.members });
  });

  it('a server that listens but cannot answer holds founding back (a cluster exists)', async () => {
    let calls = 0;
    const running: RunningCluster = { clusterId: '7', members: { n2: '10.0.0.2:8300', n3: '10.0.0.3:8300' } };
    const d = await awaitBootstrap({ ...base, members: () => [server('n1', 1), server('n2', 2), server('n3', 3)], probe: async () => (++calls < 5 ? ('unsure' as const) : running) });
    expect(d).toEqual({ kind: 'join', clusterId: '7', via: 'n2', servers: running.members });
  });
});
