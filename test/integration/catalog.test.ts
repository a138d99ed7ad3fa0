import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface Meta {
  revision: string;
  index: string;
  servedBy: string;
  knownLeader: string;
  lastContactMs: string;
  stale: boolean;
}
interface InstancesRes {
  instances: { node: { name: string; address: string }; service: { id: string; name: string; port: number; tags: string[] }; status: string; checks: { id: string; status: string; output: string }[] }[];
  meta: Meta;
}

describe('the catalog on a 3-server cluster', () => {
  let c: TestCluster;
  let leader: ServerProc;
  let followers: ServerProc[];
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 60 });
    leader = await c.waitForLeader();
    followers = c.servers.filter((s) => s !== leader);
  });
  afterAll(async () => {
    await c?.destroy();
  });

  const instances = (s: ServerProc, service: string, extra: Record<string, unknown> = {}): Promise<InstancesRes> => c.rcall<InstancesRes>(s, 'Health', 'ServiceInstances', { service, ...extra });

  it('registers through a follower; every server serves it, consistently or stale with freshness metadata', async () => {
    const res = await c.rcall<{ revision: string; changed: boolean }>(followers[0]!, 'Catalog', 'Register', {
      node: { name: 'host-a', address: '10.1.0.1' },
      service: { name: 'web', id: 'web-a', port: 8080, tags: ['v1'] },
      checks: [{ id: 'web-a-http', name: 'http', status: 'PASSING', type: 'http', definition: { url: 'http://10.1.0.1:8080/health' } }],
    });
    expect(res.changed).toBe(true);
    for (const s of c.servers) {
      const r = await instances(s, 'web');
      expect(r.instances.map((i) => `${i.node.name}/${i.service.id}:${i.status}`)).toEqual(['host-a/web-a:PASSING']);
      expect(Number(r.meta.revision)).toBeGreaterThanOrEqual(Number(res.revision));
      expect(r.meta.stale).toBe(false);
    }
    const stale = await instances(followers[1]!, 'web', { options: { consistency: 'STALE' } });
    expect(stale.meta).toMatchObject({ stale: true, servedBy: followers[1]!.name, knownLeader: leader.name });
    expect(Number(stale.meta.lastContactMs)).toBeGreaterThanOrEqual(0);
    const services = await c.rcall<{ services: { name: string; tags: string[]; instances: number; passing: number }[] }>(followers[1]!, 'Catalog', 'ListServices', {});
    expect(services.services).toEqual([expect.objectContaining({ name: 'web', tags: ['v1'], instances: 1, passing: 1 })]);
  });

  it('a TTL registration stays passing while renewed through a follower, turns critical when not, and is deregistered after deregister_critical_after', async () => {
    await c.rcall(followers[0]!, 'Catalog', 'Register', {
      node: { name: 'host-b', address: '10.1.0.2' },
      service: { name: 'api', id: 'api-b', port: 9000 },
      serviceTtlMs: 1500,
      serviceDeregisterCriticalAfterMs: 2000,
    });
    const renewUntil = Date.now() + 4000;
    while (Date.now() < renewUntil) {
      const r = await c.rcall<{ ttlMs: string }>(followers[1]!, 'Health', 'UpdateTtl', { node: 'host-b', checkId: 'service:api-b', output: 'alive' });
      expect(r.ttlMs).toBe('1500');
      const now = await instances(followers[0]!, 'api', { passingOnly: true });
      expect(now.instances.map((i) => i.service.id)).toEqual(['api-b']);
      await new Promise((res) => setTimeout(res, 400));
    }
    const stopped = Date.now();
    await eventually('the TTL check turns critical', async () => ((await instances(leader, 'api')).instances[0]?.status === 'CRITICAL' ? true : undefined));
    const criticalAfter = Date.now() - stopped;
    expect(criticalAfter).toBeGreaterThan(1000);
    expect(criticalAfter).toBeLessThan(3000);
    const crit = await instances(leader, 'api');
    expect(crit.instances[0]?.checks[0]).toMatchObject({ id: 'service:api-b', status: 'CRITICAL', output: 'TTL expired' });
    expect((await instances(leader, 'api', { passingOnly: true })).instances).toEqual([]);
    await eventually('the service is deregistered', async () => ((await instances(followers[1]!, 'api')).instances.length === 0 ? true : undefined));
    expect(Date.now() - stopped).toBeGreaterThan(2500);
  });

  it('rejects bad registrations with INVALID_ARGUMENT and unknown TTL checks with NOT_FOUND', async () => {
    await expect(c.rcall(followers[0]!, 'Catalog', 'Register', { node: { name: '', address: 'x' } })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'node.name: is required' });
    await expect(c.rcall(followers[0]!, 'Catalog', 'Register', { node: { name: 'n', address: 'x' }, service: { name: 's', port: 70000 } })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(c.rcall(followers[0]!, 'Health', 'UpdateTtl', { node: 'nobody', checkId: 'none' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(c.rcall(followers[0]!, 'Catalog', 'NodeServices', { node: 'nobody' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
