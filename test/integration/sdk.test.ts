import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterClient } from '../../src/client/index.js';
import { eventually, TestCluster } from './cluster-harness.js';

describe('the SDK against a 3-server cluster', () => {
  let c: TestCluster;
  const clients: RosterClient[] = [];
  const client = (node?: string, endpoints = c.servers.map((s) => s.clientAddr)): RosterClient => {
    const r = new RosterClient({ endpoints, ...(node === undefined ? {} : { node: { name: node, address: '127.0.0.1' } }) });
    clients.push(r);
    return r;
  };
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 110 });
    await c.waitForLeader();
  });
  afterAll(async () => {
    for (const r of clients) r.close();
    await c?.destroy();
  });

  it('registers with a TTL, discovers through the cache, re-registers after the servers lose it, and stops cleanly', async () => {
    const app = client('app-host');
    const reg = await app.register({ name: 'orders', id: 'orders-1', port: 7001, tags: ['v2'] }, { ttlMs: 1500 });
    const consumer = client();
    const cache = consumer.discover('orders');
    await cache.ready();
    expect(cache.instances().map((i) => `${i.id}@${i.address}:${i.port}`)).toEqual(['orders-1@127.0.0.1:7001']);
    expect(cache.stale).toBe(false);
    // Renewals keep it passing well past its TTL.
    await new Promise((r) => setTimeout(r, 3500));
    expect((await consumer.instances('orders')).map((i) => i.status)).toEqual(['passing']);
    // Taken away behind the client's back: the next renewal finds it gone and registers again.
    const again = new Promise<string>((resolve) => reg.once('reregistered', resolve));
    await c.rcall(c.servers[0]!, 'Catalog', 'Deregister', { node: 'app-host', serviceId: 'orders-1' });
    expect(await again).toMatch(/lost the registration/);
    await eventually('back in the cache', async () => (cache.instances().length === 1 ? true : undefined));
    await reg.stop();
    await eventually('gone from the cache', async () => (cache.instances().length === 0 ? true : undefined));
  });

  it('keeps a lease registration alive and calls instances with a selector and fail-over', async () => {
    const app = client('lease-host');
    await app.register({ name: 'pay', id: 'pay-1', port: 1 }, { leaseTtlSeconds: 2 });
    await app.register({ name: 'pay', id: 'pay-2', port: 2 }, { leaseTtlSeconds: 2 });
    await new Promise((r) => setTimeout(r, 4500)); // two TTLs: only keep-alives keep them
    const consumer = client();
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(await consumer.call('pay', async (inst) => inst.id, { selector: 'round-robin' }));
    }
    expect(new Set(seen)).toEqual(new Set(['pay-1', 'pay-2']));
    // pay-1 "fails": fail-over answers from pay-2 every time.
    for (let i = 0; i < 4; i++) {
      const got = await consumer.call(
        'pay',
        async (inst) => {
          if (inst.id === 'pay-1') throw new Error('connection refused');
          return inst.id;
        },
        { failMode: 'fail-over' },
      );
      expect(got).toBe('pay-2');
    }
  });

  it('a lock held by one client passes to another when released, and an election reports leadership', async () => {
    const a = client('lock-a');
    const b = client('lock-b');
    const la = a.lock('jobs/nightly', { value: 'a', sessionTtlMs: 3000, lockDelayMs: 0 });
    const lb = b.lock('jobs/nightly', { value: 'b', sessionTtlMs: 3000, lockDelayMs: 0 });
    await la.acquire();
    let bHas = false;
    const bWaits = lb.acquire().then(() => (bHas = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(bHas).toBe(false);
    await la.release();
    await bWaits;
    expect(lb.held).toBe(true);
    await lb.release();
    const e = a.election('service/elector/leader', 'candidate-a', { sessionTtlMs: 2000 });
    await e.campaign();
    expect(e.isLeader).toBe(true);
    await e.resign();
    expect(e.isLeader).toBe(false);
  });

  it('serves the last known instances, marked stale, while every server is down, and catches up after', async () => {
    const app = client('outage-host');
    await app.register({ name: 'search', id: 'search-1', port: 9200 }, { ttlMs: 30_000 });
    const consumer = client();
    const cache = consumer.discover('search');
    await cache.ready();
    expect(cache.instances().map((i) => i.id)).toEqual(['search-1']);
    for (const s of c.servers) c.pause(s);
    try {
      await eventually('the cache marks itself stale', async () => (cache.stale ? true : undefined), 20_000);
      expect(cache.instances().map((i) => i.id)).toEqual(['search-1']);
      // The SDK's calls keep using the last known instances.
      expect(await consumer.call('search', async (i) => i.id)).toBe('search-1');
    } finally {
      for (const s of c.servers) c.resume(s);
    }
    await c.waitForLeader();
    await app.register({ name: 'search', id: 'search-2', port: 9201 }, { ttlMs: 30_000 });
    await eventually('the cache catches up', async () => (cache.instances().length === 2 && !cache.stale ? true : undefined), 20_000);
  });
});
