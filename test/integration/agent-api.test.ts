import * as grpc from '@grpc/grpc-js';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterClient } from '../../src/client/index.js';
import { agentProto } from '../../src/proto/agent-proto.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';


type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/** An application registering through its local agent; the agent runs the checks and syncs the catalog. */
describe('client agent local API: services, HTTP and TTL checks, anti-entropy', () => {
  let c: TestCluster;
  let app: Server;
  let healthy = true;
  let appPort = 0;
  let lastProbeHeaders: Record<string, string | string[] | undefined> = {};
  let lastProbeMethod = '';
  let agent: grpc.Client & Record<string, Unary>;
  let other: grpc.Client & Record<string, Unary>;
  let apiAddr = '';
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 180, gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    apiAddr = `127.0.0.191:${await freePort('127.0.0.191')}`;
    await c.startAgent('app-host', '127.0.0.191', ['--api-addr', apiAddr]);
    app = createServer((req, res) => {
      lastProbeHeaders = req.headers;
      lastProbeMethod = req.method ?? '';
      res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appPort = (app.address() as { port: number }).port;
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    agent = new Ctor(apiAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    const otherAddr = `127.0.0.192:${await freePort('127.0.0.192')}`;
    await c.startAgent('watch-host', '127.0.0.192', ['--api-addr', otherAddr]);
    other = new Ctor(otherAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  }, 60_000);
  afterAll(async () => {
    agent?.close();
    other?.close();
    app?.close();
    await c?.destroy();
  });

  const callOn = <T>(client: grpc.Client & Record<string, Unary>, method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method]!(req, { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res as T))));
  const call = <T>(method: string, req: unknown): Promise<T> => new Promise((resolve, reject) => agent[method]!(req, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res as T))));
  const statusEverywhere = async (service: string): Promise<string[]> =>
    Promise.all(c.servers.map(async (s) => (await c.rcall<{ instances: { status: string }[] }>(s, 'Health', 'ServiceInstances', { service, options: { consistency: 'STALE' } })).instances.map((i) => i.status).join(',')));

  it('a service registered with an HTTP check is passing everywhere, and leaves the healthy set within interval + 1 s of failing', async () => {
    await call('RegisterService', { service: { name: 'shop', port: appPort }, checks: [{ http: `http://127.0.0.1:${appPort}/health`, intervalMs: 500 }] });
    await eventually('shop passing on every server', async () => ((await statusEverywhere('shop')).every((s) => s === 'PASSING') ? true : undefined), 15_000);
    healthy = false;
    const t0 = Date.now();
    await eventually('shop critical on every server', async () => ((await statusEverywhere('shop')).every((s) => s === 'CRITICAL') ? true : undefined), 10_000, 50);
    expect(Date.now() - t0).toBeLessThan(1500);
    healthy = true;
    await eventually('shop passing again', async () => ((await statusEverywhere('shop')).every((s) => s === 'PASSING') ? true : undefined), 10_000);
  });

  it('a TTL check passes while reported and turns critical when the reports stop', async () => {
    await call('RegisterService', { service: { name: 'worker', id: 'worker-1' }, checks: [{ id: 'worker-ttl', ttlMs: 1500 }] });
    await call('UpdateTtl', { checkId: 'worker-ttl', status: 'passing', output: 'busy and well' });
    await eventually('worker passing', async () => ((await statusEverywhere('worker')).every((s) => s === 'PASSING') ? true : undefined), 10_000);
    await eventually('worker critical after the TTL', async () => ((await statusEverywhere('worker')).every((s) => s === 'CRITICAL') ? true : undefined), 10_000);
  });

  it('anti-entropy restores a registration the servers lost, and deregistration removes it', async () => {
    const leader = await c.waitForLeader();
    await c.rcall(leader, 'Catalog', 'Deregister', { node: 'app-host', serviceId: 'shop' });
    // The agent notices at its next sync (the interval is a minute): a local change triggers one now.
    await call('RegisterService', { service: { name: 'shop', port: appPort }, checks: [{ http: `http://127.0.0.1:${appPort}/health`, intervalMs: 500 }] });
    await eventually('shop back', async () => ((await statusEverywhere('shop')).every((s) => s !== '') ? true : undefined), 15_000);
    await call('DeregisterService', { id: 'shop' });
    await eventually('shop gone', async () => ((await statusEverywhere('shop')).every((s) => s === '') ? true : undefined), 10_000);
    const listed = await call<{ services: { service: { id: string } }[]; syncs: number }>('Services', {});
    expect(listed.services.map((s) => s.service.id)).toEqual(['worker-1']);
    expect(listed.syncs).toBeGreaterThan(0);
  });

  it('bad input: INVALID_ARGUMENT naming the field; unknown ids NOT_FOUND', async () => {
    await expect(call('RegisterService', { service: { name: '' } })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^service\.name/) });
    await expect(call('RegisterService', { service: { name: 'x' }, checks: [{ http: 'http://a/', tcp: 'a:1' }] })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/exactly one of/) });
    await expect(call('UpdateTtl', { checkId: 'nope', status: 'passing' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(call('DeregisterService', { id: 'nope' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    // A check id another service on this agent already has is refused, not silently taken over.
    await expect(call('RegisterService', { service: { name: 'thief' }, checks: [{ id: 'worker-ttl', ttlMs: 1000 }] })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/belongs to service worker-1/) });
  });

  it('maintenance mode: a service, then the whole node, leaves the healthy set with the reason; disabling restores it', async () => {
    await call('RegisterService', { service: { name: 'batch', id: 'batch-1' }, checks: [{ id: 'batch-ttl', ttlMs: 60_000 }] });
    await call('UpdateTtl', { checkId: 'batch-ttl', status: 'passing', output: '' });
    await eventually('batch passing', async () => ((await statusEverywhere('batch')).every((s) => s === 'PASSING') ? true : undefined), 10_000);
    const on = await call<{ active: string[] }>('Maintenance', { enable: true, serviceId: 'batch-1', reason: 'reindexing' });
    expect(on.active).toEqual(['_service_maintenance:batch-1']);
    await eventually('batch critical in maintenance', async () => ((await statusEverywhere('batch')).every((s) => s === 'CRITICAL') ? true : undefined), 10_000);
    const leader = await c.waitForLeader();
    const inst = await c.rcall<{ instances: { checks: { id: string; output: string }[] }[] }>(leader, 'Health', 'ServiceInstances', { service: 'batch' });
    expect(inst.instances[0]!.checks.find((k) => k.id === '_service_maintenance:batch-1')?.output).toBe('reindexing');
    // Registering the service again (an app restart) keeps it in maintenance.
    await call('RegisterService', { service: { name: 'batch', id: 'batch-1' }, checks: [{ id: 'batch-ttl', ttlMs: 60_000 }] });
    expect((await call<{ active: string[] }>('Maintenance', { enable: true, serviceId: 'batch-1', reason: 'reindexing' })).active).toEqual(['_service_maintenance:batch-1']);
    await call('UpdateTtl', { checkId: 'batch-ttl', status: 'passing', output: '' });
    await call('Maintenance', { enable: false, serviceId: 'batch-1' });
    await eventually('batch passing after maintenance', async () => ((await statusEverywhere('batch')).every((s) => s === 'PASSING') ? true : undefined), 10_000);
    // The node: every service on it turns critical.
    await call('Maintenance', { enable: true, reason: 'kernel upgrade' });
    await eventually('batch critical with its node in maintenance', async () => ((await statusEverywhere('batch')).every((s) => s === 'CRITICAL') ? true : undefined), 10_000);
    expect((await call<{ active: string[] }>('Maintenance', { enable: false })).active).toEqual([]);
    await eventually('batch passing after node maintenance', async () => ((await statusEverywhere('batch')).every((s) => s === 'PASSING') ? true : undefined), 10_000);
    await expect(call('Maintenance', { enable: true, serviceId: 'nope' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await call('DeregisterService', { id: 'batch-1' });
  });

  it('an HTTP check sends the method and headers it was given', async () => {
    healthy = true;
    await call('RegisterService', { service: { name: 'hdr', port: appPort }, checks: [{ http: `http://127.0.0.1:${appPort}/ready`, method: 'post', headers: { 'x-probe': 'roster', authorization: 'Bearer t0k' }, intervalMs: 300 }] });
    await eventually('the probe arrives with its headers', async () => (lastProbeMethod === 'POST' && lastProbeHeaders['x-probe'] === 'roster' && lastProbeHeaders.authorization === 'Bearer t0k' ? true : undefined), 10_000, 50);
    await expect(call('RegisterService', { service: { name: 'hdr2' }, checks: [{ http: 'http://127.0.0.1:1/', headers: { 'bad header': 'x' } }] })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/headers/) });
    await call('DeregisterService', { id: 'hdr' });
  });

  it('command checks: refused unless the agent runs with --enable-script-checks; exit 0 passing, 1 warning, 2 critical; Leave deregisters the node and stops the agent', async () => {
    await expect(call('RegisterService', { service: { name: 'cmd' }, checks: [{ args: ['true'] }] })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: expect.stringMatching(/--enable-script-checks/) });
    const addr = `127.0.0.193:${await freePort('127.0.0.193')}`;
    const scriptHost = await c.startAgent('script-host', '127.0.0.193', ['--api-addr', addr, '--enable-script-checks']);
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const third = new Ctor(addr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    try {
      const register = (id: string, code: number): Promise<unknown> => callOn(third, 'RegisterService', { service: { name: 'cmd', id }, checks: [{ args: ['sh', '-c', `echo exit-${code}; exit ${code}`], intervalMs: 300 }] });
      await register('cmd-0', 0);
      await register('cmd-1', 1);
      await register('cmd-2', 2);
      const byId = async (): Promise<string> => {
        const r = await c.rcall<{ instances: { service: { id: string }; status: string; checks: { output: string }[] }[] }>(c.servers[0]!, 'Health', 'ServiceInstances', { service: 'cmd', options: { consistency: 'STALE' } });
        return r.instances.map((i) => `${i.service.id}=${i.status}`).sort().join(',');
      };
      await eventually('each command check with its status', async () => ((await byId()) === 'cmd-0=PASSING,cmd-1=WARNING,cmd-2=CRITICAL' ? true : undefined), 15_000);
      await callOn(third, 'Leave', {});
      await c.agentExited(scriptHost, 15_000);
      await eventually('the node deregistered after its leave', async () => {
        const nodes = await c.rcall<{ nodes: { name: string }[] }>(c.servers[0]!, 'Catalog', 'ListNodes', { options: { consistency: 'STALE' } });
        return nodes.nodes.some((n) => n.name === 'script-host') ? undefined : true;
      }, 15_000);
      expect(await byId()).toBe('');
    } finally {
      third.close();
    }
  }, 60_000);

  it('the agent forwards the servers\' APIs: etcd KV and the registry through the agent\'s port', async () => {
    const Kv = etcdProto().etcdserverpb.KV as unknown as grpc.ServiceClientConstructor;
    const Catalog = registryProto().roster.registry.v1.Catalog as unknown as grpc.ServiceClientConstructor;
    const kv = new Kv(apiAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    const catalog = new Catalog(apiAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    try {
      await callOn(kv, 'Put', { key: Buffer.from('via/agent'), value: Buffer.from('hello') });
      const got = await callOn<{ kvs: { value: Buffer }[] }>(kv, 'Range', { key: Buffer.from('via/agent') });
      expect(got.kvs.map((k) => k.value.toString())).toEqual(['hello']);
      // Written once, through whichever server the agent picked.
      const direct = await c.call<{ kvs: { version: string }[] }>(await c.waitForLeader(), 'KV', 'Range', { key: Buffer.from('via/agent') });
      expect(direct.kvs[0]!.version).toBe('1');
      const services = await callOn<{ services: { name: string }[] }>(catalog, 'ListServices', {});
      expect(services.services.map((x) => x.name)).toContain('worker');
      await expect(callOn(kv, 'Range', { key: Buffer.alloc(0) })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    } finally {
      kv.close();
      catalog.close();
    }
  });

  it('the SDK works through an agent alone: it registers with a TTL and discovers through the agent\'s port', async () => {
    const sdk = new RosterClient({ endpoints: [apiAddr], node: { name: 'sdk-host', address: '127.0.0.191' } });
    try {
      const reg = await sdk.register({ name: 'via-agent', id: 'via-agent-1', port: 9100 }, { ttlMs: 5000 });
      const cache = sdk.discover('via-agent', { passingOnly: true });
      await eventually('discovered through the agent', async () => (cache.instances().map((i) => i.id).join() === 'via-agent-1' ? true : undefined), 15_000);
      await reg.stop();
      await eventually('gone after deregistering', async () => (cache.instances().length === 0 ? true : undefined), 15_000);
    } finally {
      sdk.close();
    }
  });

  it('end to end: a watcher on another agent sees a failing check within interval + 1 s; with every server down that agent answers from its cache, marked stale; servers back, it catches up', async () => {
    healthy = true;
    await call('RegisterService', { service: { name: 'cart', port: appPort }, checks: [{ http: `http://127.0.0.1:${appPort}/health`, intervalMs: 500 }] });
    type Answer = { instances: { id: string; node: string; status: string }[]; stale: boolean; staleReason: string };
    const seen: Answer[] = [];
    const stream = (other as unknown as { WatchInstances: (req: unknown) => grpc.ClientReadableStream<Answer> }).WatchInstances({ service: 'cart' });
    stream.on('data', (a: Answer) => seen.push(a));
    stream.on('error', () => undefined);
    try {
      const last = (): Answer | undefined => seen[seen.length - 1];
      await eventually('cart healthy at the other agent', async () => (last()?.instances.map((i) => `${i.node}/${i.id}`).join() === 'app-host/cart' ? true : undefined), 15_000);
      healthy = false;
      const t0 = Date.now();
      await eventually('cart gone from the healthy set', async () => (last()?.instances.length === 0 ? true : undefined), 10_000, 20);
      console.log(`the watcher on the other agent saw the failing check ${Date.now() - t0} ms after the app went down (check interval 500 ms)`);
      expect(Date.now() - t0).toBeLessThan(1500);
      healthy = true;
      await eventually('cart back', async () => (last()?.instances.length === 1 ? true : undefined), 10_000);
      // Every server down: the other agent still answers, from its cache, marked stale.
      for (const s of c.servers) c.kill9(s);
      const cached = await eventually('a stale answer', async () => {
        const a = await callOn<Answer>(other, 'Instances', { service: 'cart' });
        return a.stale ? a : undefined;
      }, 15_000);
      expect(cached.instances.map((i) => `${i.node}/${i.id}:${i.status}`)).toEqual(['app-host/cart:passing']);
      expect(last()?.stale).toBe(true);
      // Servers back: the cache is current again and follows new changes.
      await Promise.all(c.servers.map((s) => c.launch(s, 'new')));
      await eventually('fresh again', async () => ((await callOn<Answer>(other, 'Instances', { service: 'cart' })).stale ? undefined : true), 30_000);
      healthy = false;
      await eventually('the change after the outage', async () => ((await callOn<Answer>(other, 'Instances', { service: 'cart' })).instances.length === 0 ? true : undefined), 15_000);
    } finally {
      stream.cancel();
      healthy = true;
    }
  }, 90_000);
});
