import Consul from 'consul';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, eventually, freePort, TestCluster } from './cluster-harness.js';

/**
 * Consul's HTTP API on the agents' port, driven by the npm `consul` package: 3 servers, 2 client
 * agents. What one agent is told is seen through the other, and keys written as Consul's are
 * etcd's keys.
 */
describe("Consul's HTTP API on client agents, through the npm consul package", () => {
  let c: TestCluster;
  const apis: string[] = [];
  const dns: { host: string; port: number }[] = [];
  /** dig (dnsutils) against an agent's DNS interface: its answer section, and its header line. */
  const dig = (agent: number, args: string[]): { answers: string[]; status: string; flags: string; out: string } => {
    const r = spawnSync('dig', [`@${dns[agent]!.host}`, '-p', String(dns[agent]!.port), '+time=3', '+tries=1', ...args], { encoding: 'utf8' });
    if (r.error !== undefined) throw new Error(`dig could not run (is dnsutils installed?): ${r.error.message}`);
    const out = r.stdout;
    const section = /;; ANSWER SECTION:\n([\s\S]*?)(?:\n\n|$)/.exec(out)?.[1] ?? '';
    return { answers: section.split('\n').filter((l) => l.trim() !== ''), status: /status: (\w+)/.exec(out)?.[1] ?? '', flags: /flags: ([a-z ]+);/.exec(out)?.[1] ?? '', out };
  };
  let a1: Consul;
  let a2: Consul;
  let app: Server;
  let healthy = true;
  let appPort = 0;

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 105, gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    for (const host of ['127.0.0.104', '127.0.0.109']) apis.push(`${host}:${await freePort(host)}`);
    for (const host of ['127.0.0.104', '127.0.0.109']) dns.push({ host, port: await freePort(host) });
    await c.startAgent('consul-a1', '127.0.0.104', ['--api-addr', apis[0]!, '--dns-addr', `${dns[0]!.host}:${dns[0]!.port}`]);
    await c.startAgent('consul-a2', '127.0.0.109', ['--api-addr', apis[1]!, '--dns-addr', `${dns[1]!.host}:${dns[1]!.port}`]);
    const [h1, p1] = apis[0]!.split(':');
    const [h2, p2] = apis[1]!.split(':');
    a1 = new Consul({ host: h1!, port: Number(p1) });
    a2 = new Consul({ host: h2!, port: Number(p2) });
    app = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appPort = (app.address() as { port: number }).port;
  }, 90_000);
  afterAll(async () => {
    app?.close();
    await c?.destroy();
  });

  it('keys: set, get, cas, keys with a separator, recurse, raw, delete; the same keys as etcd', async () => {
    expect(await a1.kv.set('app/config/db', 'postgres://db')).toBe(true);
    expect(await a1.kv.set('app/config/cache', 'redis://cache')).toBe(true);
    expect(await a1.kv.set('app/flags/beta', 'on')).toBe(true);
    const got = await a2.kv.get('app/config/db');
    // The package decodes Consul's base64 Value.
    expect(got).toMatchObject({ Key: 'app/config/db', Flags: 0, LockIndex: 0, Value: 'postgres://db' });
    // Compare-and-set on the ModifyIndex: a stale index loses, the current one wins; 0 creates only.
    // (The package reads Consul's "false" body as no result.)
    const casPut = async (cas: number, value: string): Promise<string> => (await fetch(`http://${apis[0]}/v1/kv/app/config/db?cas=${cas}`, { method: 'PUT', body: value })).text();
    expect(await casPut(got!.ModifyIndex - 1, 'x')).toBe('false');
    expect(await a1.kv.set({ key: 'app/config/db', value: 'x', cas: got!.ModifyIndex - 1 })).not.toBe(true);
    expect(await a1.kv.set({ key: 'app/config/db', value: 'postgres://db2', cas: got!.ModifyIndex })).toBe(true);
    expect(await casPut(0, 'y')).toBe('false');
    expect(await a1.kv.set({ key: 'app/new', value: 'z', cas: 0 })).toBe(true);
    expect((await a2.kv.keys({ key: 'app/', separator: '/' })).sort()).toEqual(['app/config/', 'app/flags/', 'app/new']);
    const all = (await a2.kv.get({ key: 'app/config/', recurse: true })) as { Key: string }[];
    expect(all.map((e) => e.Key).sort()).toEqual(['app/config/cache', 'app/config/db']);
    // The same keyspace as etcd's API.
    const etcd = await c.call(c.servers[0]!, 'KV', 'Range', { key: enc('app/config/db') });
    expect(Buffer.from((etcd as { kvs: { value: Buffer }[] }).kvs[0]!.value).toString()).toBe('postgres://db2');
    expect(await a1.kv.get('missing/key')).toBeUndefined();
    expect(await a1.kv.del({ key: 'app/', recurse: true })).toBe(true);
    expect(await a2.kv.keys('app/')).toEqual([]);
  });

  it('a service registered with an HTTP and a TTL check on one agent is seen healthy, then critical, through the other', async () => {
    await a1.agent.service.register({
      name: 'web',
      id: 'web-1',
      port: appPort,
      address: '127.0.0.1',
      tags: ['v1'],
      meta: { team: 'edge' },
      checks: [{ http: `http://127.0.0.1:${appPort}/health`, interval: '1s', timeout: '500ms' }, { ttl: '30s', name: 'heartbeat' }] as never,
    });
    const local = (await a1.agent.service.list()) as Record<string, { Service: string; Port: number; Tags: string[]; Meta: Record<string, string> }>;
    expect(local['web-1']).toMatchObject({ Service: 'web', Port: appPort, Tags: ['v1'], Meta: { team: 'edge' } });
    await a1.agent.check.pass({ id: 'service:web-1:2', note: 'alive' });
    const passing = await eventually('web passing through a2', async () => {
      const rows = (await a2.health.service({ service: 'web', passing: true })) as { Service: { ID: string; Port: number }; Checks: { CheckID: string; Status: string }[] }[];
      return rows.length === 1 ? rows : undefined;
    }, 20_000);
    expect(passing[0]!.Service).toMatchObject({ ID: 'web-1', Port: appPort });
    // The service's checks, and the node's own (serfHealth), as Consul answers.
    expect(passing[0]!.Checks.map((k) => k.CheckID).sort()).toEqual(['serfHealth', 'service:web-1:1', 'service:web-1:2']);
    expect(await a2.catalog.service.list()).toMatchObject({ web: ['v1'] });
    const nodes = (await a2.catalog.service.nodes('web')) as { Node: string; ServiceID: string; ServicePort: number }[];
    expect(nodes).toEqual([expect.objectContaining({ Node: 'consul-a1', ServiceID: 'web-1', ServicePort: appPort })]);

    healthy = false;
    await eventually('web critical, gone from ?passing', async () => ((await a2.health.service({ service: 'web', passing: true })).length === 0 ? true : undefined), 20_000);
    const all = (await a2.health.service('web')) as { Checks: { CheckID: string; Status: string }[] }[];
    expect(all[0]!.Checks.find((k) => k.CheckID === 'service:web-1:1')?.Status).toBe('critical');
    await a1.agent.service.deregister('web-1');
    await eventually('web deregistered', async () => ((await a2.health.service('web')).length === 0 ? true : undefined), 20_000);
  });

  /** A GET with Consul's blocking parameters: the answer, its X-Consul-Index and when it came. */
  const blockingGet = async (addr: string, path: string): Promise<{ status: number; index: number; body: string; at: number }> => {
    const r = await fetch(`http://${addr}${path}`);
    const body = await r.text();
    return { status: r.status, index: Number(r.headers.get('x-consul-index')), body, at: performance.now() };
  };

  it('a blocking health query returns within interval + 1 s of the HTTP check turning critical, and not before', async () => {
    healthy = true;
    await a1.agent.service.register({ name: 'api', id: 'api-1', port: appPort, address: '127.0.0.1', check: { http: `http://127.0.0.1:${appPort}/health`, interval: '1s', timeout: '500ms' } as never });
    const first = await eventually('api passing through a2', async () => {
      const r = await blockingGet(apis[1]!, '/v1/health/service/api?passing');
      return (JSON.parse(r.body) as unknown[]).length === 1 ? r : undefined;
    }, 20_000);
    expect(first.index).toBeGreaterThan(0);
    const pending = blockingGet(apis[1]!, `/v1/health/service/api?passing&index=${first.index}&wait=30s`);
    // Other services changing does not wake it.
    await a1.kv.set('unrelated/key', 'v');
    await a1.agent.service.register({ name: 'other', id: 'other-1', port: 1 });
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled, 'the blocking query returned before anything about api changed').toBe(false);
    healthy = false;
    const turnedCritical = performance.now();
    const answer = await pending;
    const delayMs = answer.at - turnedCritical;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual([]);
    expect(answer.index).toBeGreaterThan(first.index);
    expect(delayMs).toBeLessThan(1000 + 1000);
    console.log(`consul-http: the blocking query returned ${Math.round(delayMs)} ms after the check's endpoint turned unhealthy (interval 1 s)`);
    healthy = true;
    await a1.agent.service.deregister('api-1');
    await a1.agent.service.deregister('other-1');
  });

  it('a blocking KV read wakes for its own key only, and a wait that runs out answers with the same index', async () => {
    await a1.kv.set('blocking/watched', 'v1');
    const first = await blockingGet(apis[1]!, '/v1/kv/blocking/watched');
    const pending = blockingGet(apis[1]!, `/v1/kv/blocking/watched?index=${first.index}&wait=20s`);
    let settled = false;
    void pending.then(() => (settled = true));
    await a1.kv.set('blocking/other', 'x');
    await a1.kv.set('blocking/watched-not', 'x');
    await new Promise((r) => setTimeout(r, 1000));
    expect(settled, 'woken by another key').toBe(false);
    const wrote = performance.now();
    await a1.kv.set('blocking/watched', 'v2');
    const answer = await pending;
    expect(answer.at - wrote).toBeLessThan(1000);
    expect((JSON.parse(answer.body) as { Value: string }[])[0]!.Value).toBe(Buffer.from('v2').toString('base64'));
    expect(answer.index).toBeGreaterThan(first.index);
    const began = performance.now();
    const timedOut = await blockingGet(apis[0]!, `/v1/kv/blocking/watched?index=${answer.index}&wait=1s`);
    // wait plus at most wait/16 of jitter, plus the read.
    expect(timedOut.at - began).toBeGreaterThanOrEqual(1000);
    expect(timedOut.at - began).toBeLessThan(2500);
    expect(timedOut.index).toBeGreaterThanOrEqual(answer.index);
    expect((await blockingGet(apis[0]!, '/v1/kv/blocking/watched?index=1&wait=soon')).status).toBe(400);
    // An index the servers have compacted away cannot be waited from: with no change of the key
    // since it, the read answers at once with the current index (the client blocks from there).
    const before = await blockingGet(apis[0]!, '/v1/kv/blocking/watched');
    await a1.kv.set('blocking/other', 'y');
    await a1.kv.set('blocking/other', 'z');
    const now = await blockingGet(apis[0]!, '/v1/kv/blocking/other');
    await c.call(c.servers[0]!, 'KV', 'Compact', { revision: String(now.index), physical: true });
    const fromCompacted = performance.now();
    const compacted = await blockingGet(apis[1]!, `/v1/kv/blocking/watched?index=${before.index}&wait=20s`);
    expect(compacted.status).toBe(200);
    expect(compacted.at - fromCompacted).toBeLessThan(1000);
    expect(compacted.index).toBeGreaterThanOrEqual(now.index);
  });

  it('a blocking read of a locked key, or of its prefix, wakes when the lock is released or its session ends; the root prefix reads every key', async () => {
    const s = (await a1.session.create({ name: 'lock-waker', lockdelay: '0s' })).ID;
    expect(await (await fetch(`http://${apis[0]}/v1/kv/lockwake/leader?acquire=${s}`, { method: 'PUT', body: 'me' })).text()).toBe('true');
    const heldAt = await blockingGet(apis[1]!, '/v1/kv/lockwake/leader');
    expect((JSON.parse(heldAt.body) as { Session?: string }[])[0]!.Session).toBe(s);
    // Released by ?release (the key's value unchanged): the waiter on the key sees Session go.
    const onKey = blockingGet(apis[1]!, `/v1/kv/lockwake/leader?index=${heldAt.index}&wait=20s`);
    const released = performance.now();
    expect(await (await fetch(`http://${apis[0]}/v1/kv/lockwake/leader?release=${s}`, { method: 'PUT' })).text()).toBe('true');
    const woke = await onKey;
    expect(woke.at - released).toBeLessThan(1000);
    expect((JSON.parse(woke.body) as { Session?: string }[])[0]!.Session).toBeUndefined();
    // Taken again, then its session destroyed: a waiter on the prefix sees the lock go.
    expect(await (await fetch(`http://${apis[0]}/v1/kv/lockwake/leader?acquire=${s}`, { method: 'PUT', body: 'me' })).text()).toBe('true');
    const prefixAt = await blockingGet(apis[1]!, '/v1/kv/lockwake/?recurse');
    const onPrefix = blockingGet(apis[1]!, `/v1/kv/lockwake/?recurse&index=${prefixAt.index}&wait=20s`);
    const destroyed = performance.now();
    await a1.session.destroy(s);
    const prefixWoke = await onPrefix;
    expect(prefixWoke.at - destroyed).toBeLessThan(1000);
    expect((JSON.parse(prefixWoke.body) as { Key: string; Session?: string }[]).map((e) => [e.Key, e.Session ?? ''])).toEqual([['lockwake/leader', '']]);
    // The empty prefix is the whole keyspace (etcd's [\0, \0)), for recurse and keys.
    await a1.kv.set('lockwake/other', 'x');
    const all = await fetch(`http://${apis[1]}/v1/kv/?recurse`);
    expect(all.status).toBe(200);
    expect((await all.json() as { Key: string }[]).map((e) => e.Key)).toEqual(expect.arrayContaining(['lockwake/leader', 'lockwake/other']));
    const top = (await (await fetch(`http://${apis[1]}/v1/kv/?keys&separator=/`)).json()) as string[];
    expect(top).toContain('lockwake/');
    expect(top.every((k) => !k.startsWith('lockwake/') || k === 'lockwake/')).toBe(true);
    expect(await a1.kv.del({ key: 'lockwake/', recurse: true })).toBe(true);
  });

  it('blocking catalog and health lists wake for their own changes only: services, nodes, a node, checks in a state', async () => {
    /** Starts a blocking GET at the index of a first read; says whether it has answered yet. */
    const pendingAfter = async (addr: string, path: string): Promise<{ first: number; answer: Promise<{ status: number; index: number; body: string; at: number }>; settled: () => boolean }> => {
      const first = await blockingGet(addr, path);
      let done = false;
      const sep = path.includes('?') ? '&' : '?';
      const answer = blockingGet(addr, `${path}${sep}index=${first.index}&wait=20s`);
      void answer.then(() => (done = true));
      return { first: first.index, answer, settled: () => done };
    };
    const services = await pendingAfter(apis[1]!, '/v1/catalog/services');
    const nodes = await pendingAfter(apis[1]!, '/v1/catalog/nodes');
    const node = await pendingAfter(apis[1]!, '/v1/health/node/blk-node');
    const critical = await pendingAfter(apis[1]!, '/v1/health/state/critical');
    const sessions = await pendingAfter(apis[1]!, '/v1/session/node/consul-a2');
    // A KV write moves the store's index but none of these lists.
    await a1.kv.set('blocking/unrelated', 'x');
    await new Promise((r) => setTimeout(r, 1000));
    expect([services.settled(), nodes.settled(), node.settled(), critical.settled(), sessions.settled()], 'woken by a KV write').toEqual([false, false, false, false, false]);
    // A new external node with a passing service: services, nodes and that node wake; critical does not.
    const put = async (body: unknown): Promise<number> => (await fetch(`http://${apis[0]}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify(body) })).status;
    const registered = performance.now();
    expect(await put({ Node: 'blk-node', Address: '10.9.9.9', Service: { Service: 'blk-svc', Port: 1 }, Check: { CheckID: 'blk-check', Name: 'blk', Status: 'passing', ServiceID: 'blk-svc' } })).toBe(200);
    for (const p of [services, nodes, node]) {
      const a = await p.answer;
      expect(a.status).toBe(200);
      expect(a.at - registered).toBeLessThan(1500);
      expect(a.index).toBeGreaterThan(p.first);
    }
    expect(JSON.parse((await services.answer).body)).toHaveProperty('blk-svc');
    expect((JSON.parse((await nodes.answer).body) as { Node: string }[]).map((n) => n.Node)).toContain('blk-node');
    expect(critical.settled(), 'critical woken by a passing check').toBe(false);
    // The check turning critical wakes the critical list.
    const failed = performance.now();
    expect(await put({ Node: 'blk-node', Address: '10.9.9.9', SkipNodeUpdate: true, Check: { CheckID: 'blk-check', Name: 'blk', Status: 'critical', ServiceID: 'blk-svc' } })).toBe(200);
    const c = await critical.answer;
    expect(c.at - failed).toBeLessThan(1500);
    expect((JSON.parse(c.body) as { CheckID: string }[]).map((x) => x.CheckID)).toContain('blk-check');
    expect((await fetch(`http://${apis[0]}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'blk-node' }) })).status).toBe(200);
    // Sessions: a2's list wakes when a session is made on a2.
    expect(sessions.settled(), 'sessions woken by the catalog').toBe(false);
    const created = performance.now();
    const id = (await a2.session.create({ name: 'blk-session', lockdelay: '0s' })).ID;
    const listed = await sessions.answer;
    expect(listed.at - created).toBeLessThan(1500);
    expect((JSON.parse(listed.body) as { ID: string }[]).map((x) => x.ID)).toContain(id);
    await a2.session.destroy(id);
  });

  it('?cached answers from the agent\'s own cache: X-Cache MISS then HIT, Age, the same instances, and blocking on the cache', async () => {
    await a1.agent.service.register({ name: 'cachedsvc', id: 'cachedsvc-1', port: 7301, check: { ttl: '30s' } as never });
    await a1.agent.check.pass({ id: 'service:cachedsvc-1' });
    await eventually('cachedsvc passing', async () => ((await a2.health.service({ service: 'cachedsvc', passing: true })).length === 1 ? true : undefined), 20_000);
    const get = async (path: string): Promise<{ status: number; cache: string | null; age: string | null; index: number; body: { Service: { ID: string; Port: number }; Node: { Node: string; Address: string } }[] }> => {
      const r = await fetch(`http://${apis[1]}${path}`);
      return { status: r.status, cache: r.headers.get('x-cache'), age: r.headers.get('age'), index: Number(r.headers.get('x-consul-index')), body: (await r.json()) as never };
    };
    const miss = await get('/v1/health/service/cachedsvc?passing&cached');
    expect(miss.cache).toBe('MISS');
    const hit = await get('/v1/health/service/cachedsvc?passing&cached');
    expect(hit.cache).toBe('HIT');
    expect(Number(hit.age)).toBeGreaterThanOrEqual(0);
    const live = await get('/v1/health/service/cachedsvc?passing');
    expect(hit.body.map((r) => [r.Node.Node, r.Node.Address, r.Service.ID, r.Service.Port])).toEqual(live.body.map((r) => [r.Node.Node, r.Node.Address, r.Service.ID, r.Service.Port]));
    expect(hit.body).toHaveLength(1);
    // Blocking on the cache: it answers once the instance turns critical and leaves the passing set.
    const pending = get(`/v1/health/service/cachedsvc?passing&cached&index=${hit.index}&wait=20s`);
    const failedAt = performance.now();
    await a1.agent.check.fail({ id: 'service:cachedsvc-1' });
    const after = await pending;
    expect(performance.now() - failedAt).toBeLessThan(5000);
    expect(after.body).toEqual([]);
    expect(after.index).toBeGreaterThan(hit.index);
    await a1.agent.service.deregister('cachedsvc-1');
  });

  it('sessions and locks: acquire, a second session refused, Session and LockIndex on the key, release, renew, destroy', async () => {
    const s1 = (await a1.session.create({ name: 'leader-election', ttl: '15s' })).ID;
    const s2 = (await a2.session.create({ name: 'contender', behavior: 'delete', lockdelay: '0s' } as never)).ID;
    expect(s1).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a1.kv.set({ key: 'service/leader', value: 'a1', acquire: s1 })).toBe(true);
    expect(await a2.kv.set({ key: 'service/leader', value: 'a2', acquire: s2 })).not.toBe(true);
    const held = (await a2.kv.get('service/leader')) as { Value: string; Session?: string; LockIndex: number };
    expect(held).toMatchObject({ Value: 'a1', Session: s1, LockIndex: 1 });
    const recursed = (await a2.kv.get({ key: 'service/', recurse: true })) as { Key: string; Session?: string }[];
    expect(recursed).toEqual([expect.objectContaining({ Key: 'service/leader', Session: s1 })]);
    // Only the holder releases; the release writes its body.
    expect(await a2.kv.set({ key: 'service/leader', value: '', release: s2 })).not.toBe(true);
    expect(await a1.kv.set({ key: 'service/leader', value: 'a1-done', release: s1 })).toBe(true);
    expect((await a1.kv.get('service/leader')) as unknown).toMatchObject({ Value: 'a1-done', LockIndex: 1 });
    expect(((await a1.kv.get('service/leader')) as { Session?: string }).Session).toBeUndefined();
    expect(await a2.kv.set({ key: 'service/leader', value: 'a2', acquire: s2 })).toBe(true);
    expect(((await a1.kv.get('service/leader')) as { LockIndex: number }).LockIndex).toBe(2);

    const info = (await a1.session.info(s1)) as unknown as { ID: string; Name: string; Node: string; TTL: string; Behavior: string; LockDelay: number; NodeChecks: string[] };
    expect(info).toMatchObject({ ID: s1, Name: 'leader-election', Node: 'consul-a1', TTL: '15s', Behavior: 'release', LockDelay: 15_000_000_000, NodeChecks: ['serfHealth'] });
    expect(((await a1.session.renew(s1)) as unknown as { ID: string }[])[0]!.ID).toBe(s1);
    expect(((await a1.session.node('consul-a2')) as { ID: string }[]).map((x) => x.ID)).toEqual([s2]);
    expect(((await a1.session.list()) as { ID: string }[]).map((x) => x.ID).sort()).toEqual([s1, s2].sort());
    // A session with behavior delete takes its keys with it.
    expect(await (await fetch(`http://${apis[1]}/v1/session/destroy/${s2}`, { method: 'PUT' })).text()).toBe('true');
    await eventually('the held key deleted with its session', async () => ((await a1.kv.get('service/leader')) === undefined ? true : undefined), 10_000);
    await a1.session.destroy(s1);
    expect(await (await fetch(`http://${apis[0]}/v1/session/info/${s1}`)).json()).toEqual([]);
    const renewGone = await fetch(`http://${apis[0]}/v1/session/renew/${s1}`, { method: 'PUT' });
    expect(renewGone.status).toBe(404);
    expect(await renewGone.text()).toBe(`Session id '${s1}' not found`);
    const badTtl = await fetch(`http://${apis[0]}/v1/session/create`, { method: 'PUT', body: JSON.stringify({ TTL: '1s' }) });
    expect(badTtl.status).toBe(400);
  });

  it('DNS from the other agent: SRV, A, tags, RFC 2782, nodes; passing instances only; NXDOMAIN, REFUSED; truncation with TCP fallback', async () => {
    // Weights through the HTTP API itself (the npm package leaves them out of its body).
    const registered = await fetch(`http://${apis[0]}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'dnsweb', ID: 'dnsweb-1', Port: 8081, Address: '127.0.0.1', Tags: ['primary'], Weights: { Passing: 7, Warning: 2 }, Check: { TTL: '30s' } }) });
    expect(registered.status).toBe(200);
    await a1.agent.check.pass({ id: 'service:dnsweb-1' });
    const srv = await eventually('dnsweb in a2 DNS', async () => {
      const r = dig(1, ['dnsweb.service.consul', 'SRV']);
      return r.answers.length === 1 ? r : undefined;
    }, 20_000);
    expect(srv.status).toBe('NOERROR');
    expect(srv.flags).toContain('aa');
    // The SRV weight is the service's Weights.Passing.
    expect(srv.answers[0]).toMatch(/^dnsweb\.service\.consul\.\s+0\s+IN\s+SRV\s+1 7 8081 7f000001\.addr\.dc1\.consul\.$/);
    expect(((await a1.agent.service.list()) as Record<string, { Weights: unknown }>)['dnsweb-1']!.Weights).toEqual({ Passing: 7, Warning: 2 });
    expect(srv.out).toMatch(/7f000001\.addr\.dc1\.consul\.\s+0\s+IN\s+A\s+127\.0\.0\.1/);
    expect(dig(1, ['+short', 'dnsweb.service.consul']).out.trim()).toBe('127.0.0.1');
    expect(dig(1, ['+short', 'primary.dnsweb.service.dc1.consul']).out.trim()).toBe('127.0.0.1');
    expect(dig(1, ['+short', '_dnsweb._primary.service.consul', 'SRV']).out.trim()).toBe('1 7 8081 7f000001.addr.dc1.consul.');
    expect(dig(1, ['+short', '_dnsweb._tcp.service.consul', 'SRV']).out.trim()).toBe('1 7 8081 7f000001.addr.dc1.consul.');
    expect(dig(1, ['+short', 'consul-a1.node.consul']).out.trim()).toBe('127.0.0.104');
    expect(dig(1, ['secondary.dnsweb.service.consul']).status).toBe('NXDOMAIN');
    expect(dig(1, ['nothing.service.consul']).status).toBe('NXDOMAIN');
    expect(dig(1, ['dnsweb.service.consul', 'AAAA'])).toMatchObject({ status: 'NOERROR', answers: [] });
    expect(dig(1, ['dnsweb.service.elsewhere.consul']).status).toBe('NXDOMAIN');
    expect(dig(1, ['example.com']).status).toBe('REFUSED');
    expect(dig(1, ['consul', 'SOA']).answers[0]).toMatch(/SOA\s+ns\.consul\. hostmaster\.consul\./);
    // A critical instance leaves DNS.
    await a1.agent.check.fail({ id: 'service:dnsweb-1' });
    await eventually('dnsweb gone from DNS', async () => (dig(1, ['dnsweb.service.consul']).status === 'NXDOMAIN' ? true : undefined), 10_000);

    // 40 instances do not fit 512 bytes: UDP is cut with TC, dig asks again over TCP and gets all.
    for (let i = 0; i < 40; i++) await a1.agent.service.register({ name: 'many', id: `many-${i}`, port: 9000 + i, address: `10.1.0.${i + 1}`, check: { ttl: '60s' } as never });
    for (let i = 0; i < 40; i++) await a1.agent.check.pass({ id: `service:many-${i}` });
    await eventually('40 instances over TCP', async () => (dig(0, ['+tcp', 'many.service.consul', 'SRV']).answers.length === 40 ? true : undefined), 20_000);
    const udp = dig(0, ['+ignore', '+noedns', 'many.service.consul', 'SRV']);
    expect(udp.flags).toContain('tc');
    expect(udp.answers.length).toBeLessThan(40);
    expect(dig(0, ['+noedns', 'many.service.consul', 'SRV']).answers).toHaveLength(40);
    // Shuffled: the order differs between answers.
    const orders = new Set(Array.from({ length: 5 }, () => dig(0, ['+short', 'many.service.consul']).out));
    expect(orders.size).toBeGreaterThan(1);
    for (let i = 0; i < 40; i++) await a1.agent.service.deregister(`many-${i}`);
    await a1.agent.service.deregister('dnsweb-1');
  });

  it('python3-consul (Debian) drives the same API: keys with a blocking get, a service and its health, a session and a lock', () => {
    const script = `
import consul, json, sys, time
host, port = sys.argv[1].split(':')
c = consul.Consul(host=host, port=int(port))
assert c.kv.put('py/key', 'hello')
index, data = c.kv.get('py/key')
assert data['Value'] == b'hello', data
t0 = time.time()
index2, data2 = c.kv.get('py/key', index=index, wait='1s')
waited = time.time() - t0
assert waited >= 0.9, waited
assert c.agent.service.register('pyweb', service_id='pyweb-1', port=7070, address='127.0.0.1', check=consul.Check.ttl('30s'))
c.agent.check.ttl_pass('service:pyweb-1')
deadline = time.time() + 15
while True:
    i, nodes = c.health.service('pyweb', passing=True)
    if len(nodes) == 1 or time.time() > deadline:
        break
    time.sleep(0.2)
assert len(nodes) == 1 and nodes[0]['Service']['Port'] == 7070, nodes
sid = c.session.create(name='py-lock', ttl=15)
assert c.kv.put('py/lock', 'me', acquire=sid) is True
i, held = c.kv.get('py/lock')
assert held['Session'] == sid and held['LockIndex'] == 1, held
assert c.kv.put('py/lock', 'me', release=sid) is True
c.session.destroy(sid)
c.agent.service.deregister('pyweb-1')
print(json.dumps({'waited': round(waited, 2)}))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', script, apis[1]!], { encoding: 'utf8', timeout: 60_000 });
    if (r.error !== undefined) throw new Error(`python3 could not run: ${r.error.message}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout) as { waited: number }).toMatchObject({ waited: expect.any(Number) as number });
  });

  type TxnBody = { Results: Record<string, Record<string, unknown> & { Key: string; Value: string | null; ModifyIndex: number }>[] | null; Errors: { OpIndex: number; What: string }[] | null };
  const b64 = (v: string): string => Buffer.from(v).toString('base64');
  const txn = async (ops: unknown[]): Promise<{ status: number; body: TxnBody }> => {
    const r = await fetch(`http://${apis[0]}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops) });
    return { status: r.status, body: (await r.json()) as never };
  };

  it('/v1/txn: KV operations apply in order, whole or not at all; a failed check is reported with its OpIndex; 64 operations at most', async () => {
    const ok = await txn([{ KV: { Verb: 'set', Key: 'txn/a', Value: b64('1') } }, { KV: { Verb: 'set', Key: 'txn/b', Value: b64('2') } }, { KV: { Verb: 'check-not-exists', Key: 'txn/c' } }]);
    expect(ok.status).toBe(200);
    expect(ok.body.Results!.map((r) => [r.KV!.Key, r.KV!.Value])).toEqual([['txn/a', null], ['txn/b', null]]);
    const index = ok.body.Results![0]!.KV!.ModifyIndex;
    // The third operation fails: the set before it is undone, and op 2 is named.
    const failed = await txn([{ KV: { Verb: 'check-index', Key: 'txn/a', Index: index } }, { KV: { Verb: 'set', Key: 'txn/a', Value: b64('changed') } }, { KV: { Verb: 'check-index', Key: 'txn/b', Index: index - 1 } }]);
    expect(failed.status).toBe(409);
    expect(failed.body.Results).toBeNull();
    expect(failed.body.Errors).toEqual([{ OpIndex: 2, What: `current modify index ${index} != ${index - 1}` }]);
    expect((await a2.kv.get('txn/a')) as unknown).toMatchObject({ Value: '1' });
    // Each operation sees the ones before it (Consul's order): a check after a set sees the set.
    const seen = await txn([{ KV: { Verb: 'set', Key: 'txn/c', Value: b64('new') } }, { KV: { Verb: 'check-not-exists', Key: 'txn/c' } }]);
    expect(seen.body.Errors).toEqual([{ OpIndex: 1, What: 'key "txn/c" exists' }]);
    expect(await a2.kv.get('txn/c')).toBeUndefined();
    const reads = await txn([{ KV: { Verb: 'get', Key: 'txn/a' } }, { KV: { Verb: 'get-tree', Key: 'txn/' } }, { KV: { Verb: 'cas', Key: 'txn/b', Value: b64('3'), Index: index } }, { KV: { Verb: 'delete', Key: 'txn/a' } }]);
    expect(reads.status).toBe(200);
    expect(reads.body.Results!.map((r) => [r.KV!.Key, r.KV!.Value === null ? null : Buffer.from(r.KV!.Value, 'base64').toString()])).toEqual([['txn/a', '1'], ['txn/a', '1'], ['txn/b', '2'], ['txn/b', null]]);
    expect(await a2.kv.get('txn/a')).toBeUndefined();
    expect((await txn([{ KV: { Verb: 'get', Key: 'txn/missing' } }])).body.Errors).toEqual([{ OpIndex: 0, What: 'key "txn/missing" doesn\'t exist' }]);
    const tooMany = await fetch(`http://${apis[0]}/v1/txn`, { method: 'PUT', body: JSON.stringify(Array.from({ length: 65 }, (_, i) => ({ KV: { Verb: 'set', Key: `txn/many/${i}`, Value: '' } }))) });
    expect(tooMany.status).toBe(413);
    expect(await tooMany.text()).toBe('Transaction contains too many operations (65 > 64)');
    // A node without an address, an unknown verb: refused before anything applies.
    expect((await fetch(`http://${apis[0]}/v1/txn`, { method: 'PUT', body: JSON.stringify([{ Node: { Verb: 'set', Node: { Node: 'x' } } }]) })).status).toBe(400);
    expect((await fetch(`http://${apis[0]}/v1/txn`, { method: 'PUT', body: JSON.stringify([{ KV: { Verb: 'upsert', Key: 'txn/x' } }]) })).status).toBe(400);
  });

  it('/v1/txn locks and flags, and node, service and check operations; KV flags are kept with the value written with them', async () => {
    // Flags through /v1/kv, exactly (consul lock's flags are above 2^53), and gone with the next plain write.
    expect(await a1.kv.set({ key: 'flags/x', value: 'v', flags: 42 })).toBe(true);
    expect(await a2.kv.get('flags/x')).toMatchObject({ Flags: 42, Value: 'v' });
    expect(await (await fetch(`http://${apis[0]}/v1/kv/flags/big?flags=3304740253564472344`, { method: 'PUT', body: 'v' })).text()).toBe('true');
    expect(await (await fetch(`http://${apis[1]}/v1/kv/flags/big`)).text()).toContain('"Flags":3304740253564472344,');
    expect(await a1.kv.set('flags/x', 'w')).toBe(true);
    expect(await a2.kv.get('flags/x')).toMatchObject({ Flags: 0, Value: 'w' });
    // Locks in a transaction: lock, a second session refused, check-session, unlock writing the value.
    const s1 = (await a1.session.create({ name: 'txn-1', lockdelay: '0s' })).ID;
    const s2 = (await a2.session.create({ name: 'txn-2', lockdelay: '0s' })).ID;
    const locked = await txn([{ KV: { Verb: 'lock', Key: 'txn/lock', Value: b64('me'), Session: s1, Flags: 7 } }]);
    expect(locked.status).toBe(200);
    expect(locked.body.Results![0]!.KV).toMatchObject({ Key: 'txn/lock', Session: s1, LockIndex: 1, Flags: 7 });
    expect((await txn([{ KV: { Verb: 'lock', Key: 'txn/lock', Value: b64('you'), Session: s2 } }])).body.Errors).toEqual([{ OpIndex: 0, What: 'failed to lock key "txn/lock", lock is already held' }]);
    expect((await txn([{ KV: { Verb: 'check-session', Key: 'txn/lock', Session: s1 } }, { KV: { Verb: 'set', Key: 'txn/guarded', Value: b64('ok') } }])).status).toBe(200);
    expect((await txn([{ KV: { Verb: 'check-session', Key: 'txn/lock', Session: s2 } }, { KV: { Verb: 'set', Key: 'txn/guarded', Value: b64('no') } }])).status).toBe(409);
    expect(await a2.kv.get('txn/guarded')).toMatchObject({ Value: 'ok' });
    expect((await txn([{ KV: { Verb: 'unlock', Key: 'txn/lock', Value: b64('bye'), Session: s1 } }])).status).toBe(200);
    const after = (await a2.kv.get('txn/lock')) as { Value: string; Session?: string; LockIndex: number };
    expect(after).toMatchObject({ Value: 'bye', LockIndex: 1 });
    expect(after.Session).toBeUndefined();
    // Node, service and check operations: one external node with its service and check, at once.
    const cat = await txn([
      { Node: { Verb: 'set', Node: { Node: 'txn-ext', Address: '10.1.1.1' } } },
      { Service: { Verb: 'set', Node: 'txn-ext', Service: { ID: 'db-1', Service: 'txndb', Port: 5432, Tags: ['primary'] } } },
      { Check: { Verb: 'set', Check: { Node: 'txn-ext', CheckID: 'db-up', Name: 'db up', Status: 'passing', ServiceID: 'db-1' } } },
    ]);
    expect(cat.status).toBe(200);
    expect(cat.body.Results!.map((r) => Object.keys(r)[0])).toEqual(['Node', 'Service', 'Check']);
    expect(cat.body.Results![1]!.Service).toMatchObject({ ID: 'db-1', Service: 'txndb', Port: 5432, Tags: ['primary'] });
    const rows = (await a2.health.service({ service: 'txndb', passing: true })) as { Node: { Node: string; Address: string }; Service: { Port: number } }[];
    expect(rows.map((r) => [r.Node.Node, r.Node.Address, r.Service.Port])).toEqual([['txn-ext', '10.1.1.1', 5432]]);
    const nodeIndex = (cat.body.Results![0]!.Node as { ModifyIndex: number }).ModifyIndex;
    // A service on a node that is not there undoes the node set before it.
    const missing = await txn([{ Node: { Verb: 'set', Node: { Node: 'txn-other', Address: '10.1.1.2' } } }, { Service: { Verb: 'set', Node: 'nowhere', Service: { Service: 'x' } } }]);
    expect(missing.body.Errors).toEqual([{ OpIndex: 1, What: 'failed to set service "x": node "nowhere" doesn\'t exist' }]);
    expect((await a2.catalog.node.list()) as { Node: string }[]).not.toContainEqual(expect.objectContaining({ Node: 'txn-other' }));
    // Get by id, delete with a stale index refused, then deleted.
    const got = await txn([{ Service: { Verb: 'get', Node: 'txn-ext', Service: { ID: 'db-1' } } }, { Check: { Verb: 'get', Check: { Node: 'txn-ext', CheckID: 'db-up' } } }]);
    expect(got.body.Results!.map((r) => Object.keys(r)[0])).toEqual(['Service', 'Check']);
    expect(got.body.Results![1]!.Check).toMatchObject({ CheckID: 'db-up', Status: 'passing', ServiceID: 'db-1', ServiceName: 'txndb' });
    expect((await txn([{ Node: { Verb: 'delete-cas', Node: { Node: 'txn-ext', ModifyIndex: nodeIndex - 1 } } }])).status).toBe(409);
    expect((await txn([{ Node: { Verb: 'delete-cas', Node: { Node: 'txn-ext', ModifyIndex: nodeIndex } } }])).status).toBe(200);
    expect(await a2.health.service('txndb')).toEqual([]);
  });

  it('nodes and checks: catalog node/node-services, health node/checks/state, agent checks and local health, maintenance, members, raft configuration', async () => {
    await a1.agent.service.register({ name: 'inv', id: 'inv-1', port: 7001, check: { ttl: '30s' } as never });
    await a1.agent.check.pass({ id: 'service:inv-1' });
    const get = async (addr: string, path: string): Promise<{ status: number; body: unknown }> => {
      const r = await fetch(`http://${addr}${path}`);
      const text = await r.text();
      return { status: r.status, body: (r.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text };
    };
    const node = await eventually('inv in the catalog', async () => {
      const r = (await get(apis[1]!, '/v1/catalog/node/consul-a1')).body as { Node: { Node: string; Address: string }; Services: Record<string, { Port: number }> } | null;
      return r?.Services['inv-1'] !== undefined ? r : undefined;
    }, 20_000);
    expect(node.Node).toMatchObject({ Node: 'consul-a1', Address: '127.0.0.104' });
    expect(node.Services['inv-1']).toMatchObject({ Port: 7001 });
    expect(((await get(apis[1]!, '/v1/catalog/node-services/consul-a1')).body as { Services: { ID: string }[] }).Services.map((x) => x.ID)).toContain('inv-1');
    expect((await get(apis[1]!, '/v1/catalog/node/no-such-node')).body).toBeNull();
    // ?filter on what the endpoint returns (Consul's bexpr language).
    expect(((await get(apis[1]!, `/v1/catalog/service/inv?filter=${encodeURIComponent('ServicePort == 7001 and Node == "consul-a1"')}`)).body as unknown[]).length).toBe(1);
    expect((await get(apis[1]!, `/v1/catalog/service/inv?filter=${encodeURIComponent('ServicePort == 7002')}`)).body).toEqual([]);
    expect(Object.keys((await get(apis[0]!, `/v1/agent/services?filter=${encodeURIComponent('Service == inv')}`)).body as object)).toEqual(['inv-1']);
    const badFilter = await get(apis[1]!, `/v1/health/service/inv?filter=${encodeURIComponent('Service.Port ==')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatch(/^Failed to create boolean expression evaluator/);
    const nodeChecks = (await get(apis[1]!, '/v1/health/node/consul-a1')).body as { CheckID: string; Status: string }[];
    expect(nodeChecks.map((c) => c.CheckID)).toEqual(expect.arrayContaining(['serfHealth', 'service:inv-1']));
    expect(((await get(apis[1]!, '/v1/health/checks/inv')).body as { CheckID: string; Status: string }[]).map((c) => [c.CheckID, c.Status])).toEqual([['service:inv-1', 'passing']]);
    await eventually('inv critical in health/state', async () => {
      await a1.agent.check.fail({ id: 'service:inv-1' });
      const critical = (await get(apis[1]!, '/v1/health/state/critical')).body as { CheckID: string }[];
      return critical.some((c) => c.CheckID === 'service:inv-1') ? true : undefined;
    }, 10_000);
    expect((await get(apis[1]!, '/v1/health/state/sideways')).status).toBe(400);
    // The agent's own view: its checks, and a local health answer whose status code is the worst check's.
    expect(((await get(apis[0]!, '/v1/agent/checks')).body as Record<string, { Status: string; ServiceID: string }>)['service:inv-1']).toMatchObject({ Status: 'critical', ServiceID: 'inv-1' });
    expect((await get(apis[0]!, '/v1/agent/health/service/name/inv')).status).toBe(503);
    await a1.agent.check.pass({ id: 'service:inv-1' });
    const local = await get(apis[0]!, '/v1/agent/health/service/id/inv-1');
    expect(local.status).toBe(200);
    expect(local.body).toMatchObject({ AggregatedStatus: 'passing', Service: { ID: 'inv-1' } });
    expect((await get(apis[0]!, '/v1/agent/health/service/name/absent')).status).toBe(404);
    // Service maintenance: a critical check until disabled.
    expect((await fetch(`http://${apis[0]}/v1/agent/service/maintenance/inv-1?enable=true&reason=deploy`, { method: 'PUT' })).status).toBe(200);
    expect((await get(apis[0]!, '/v1/agent/health/service/id/inv-1')).status).toBe(503);
    expect((await fetch(`http://${apis[0]}/v1/agent/service/maintenance/inv-1?enable=false`, { method: 'PUT' })).status).toBe(200);
    expect((await get(apis[0]!, '/v1/agent/health/service/id/inv-1')).status).toBe(200);
    expect((await fetch(`http://${apis[0]}/v1/agent/maintenance`, { method: 'PUT' })).status).toBe(400);
    const members = (await get(apis[0]!, '/v1/agent/members')).body as { Name: string; Status: number; Tags: { role: string } }[];
    expect(members.map((m) => m.Name)).toEqual(expect.arrayContaining(['consul-a1', 'consul-a2']));
    expect(members.filter((m) => m.Tags.role === 'consul')).toHaveLength(3);
    const raft = (await get(apis[0]!, '/v1/operator/raft/configuration')).body as { Servers: { Leader: boolean; Voter: boolean }[] };
    expect(raft.Servers).toHaveLength(3);
    expect(raft.Servers.filter((x) => x.Leader)).toHaveLength(1);
    expect((await fetch(`http://${apis[0]}/v1/event/fire/deploy`, { method: 'PUT' })).status).toBe(501);
    await a1.agent.service.deregister('inv-1');
  });

  it('checks registered on their own: a node TTL check and a service HTTP check, kept when their service is registered again, then deregistered', async () => {
    healthy = true;
    type Row = { CheckID: string; Status: string; ServiceID: string };
    await a1.agent.service.register({ name: 'solo', id: 'solo-1', port: 7101 });
    await a1.agent.check.register({ name: 'disk', ttl: '30s', status: 'passing' } as never);
    await a1.agent.check.register({ name: 'solo-http', id: 'solo-http', serviceid: 'solo-1', http: `http://127.0.0.1:${appPort}/health`, interval: '1s' } as never);
    const local = (await a1.agent.check.list()) as Record<string, Row>;
    expect(local.disk).toMatchObject({ Status: 'passing', ServiceID: '' });
    expect(local['solo-http']).toMatchObject({ ServiceID: 'solo-1' });
    // Through the other agent: the node's check on the node, the service's on the service.
    await eventually('disk on the node, passing', async () => (((await a2.health.node('consul-a1')) as Row[]).some((r) => r.CheckID === 'disk' && r.Status === 'passing' && r.ServiceID === '') ? true : undefined), 20_000);
    await eventually('solo-http passing on solo', async () => (((await a2.health.checks('solo')) as Row[]).some((r) => r.CheckID === 'solo-http' && r.Status === 'passing') ? true : undefined), 20_000);
    // The service registered again (a new port) keeps the check registered on its own.
    await a1.agent.service.register({ name: 'solo', id: 'solo-1', port: 7102 });
    expect(((await a1.agent.check.list()) as Record<string, Row>)['solo-http']).toMatchObject({ ServiceID: 'solo-1' });
    // A node TTL check reported failing is critical in the catalog.
    await a1.agent.check.fail({ id: 'disk', note: 'full' });
    await eventually('disk critical', async () => (((await a2.health.state('critical')) as Row[]).some((r) => r.CheckID === 'disk') ? true : undefined), 20_000);
    // Consul's refusals.
    const register = async (body: unknown): Promise<{ status: number; text: string }> => {
      const r = await fetch(`http://${apis[0]}/v1/agent/check/register`, { method: 'PUT', body: JSON.stringify(body) });
      return { status: r.status, text: await r.text() };
    };
    expect(await register({ Name: 'x', ServiceID: 'nope', TTL: '10s' })).toMatchObject({ status: 400, text: expect.stringContaining('ServiceID "nope" does not exist') });
    expect((await register({ TTL: '10s' })).status).toBe(400);
    expect((await register({ Name: 'x', TTL: '10s', Status: 'sideways' })).status).toBe(400);
    expect((await register({ Name: 'x', TTL: '10s', HTTP: 'http://127.0.0.1:1/' })).status).toBe(400);
    expect((await fetch(`http://${apis[0]}/v1/agent/check/deregister/no-such-check`, { method: 'PUT' })).status).toBe(404);
    await a1.agent.check.deregister('disk');
    await a1.agent.check.deregister('solo-http');
    expect(Object.keys((await a1.agent.check.list()) as object)).not.toEqual(expect.arrayContaining(['disk']));
    await eventually('both checks gone from the catalog', async () => {
      const node = (await a2.health.node('consul-a1')) as Row[];
      const solo = (await a2.health.checks('solo')) as Row[];
      return !node.some((r) => r.CheckID === 'disk') && solo.length === 0 ? true : undefined;
    }, 20_000);
    await a1.agent.service.deregister('solo-1');
  });

  const rosterCli = (...args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/roster.mjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };

  it("Roster's CLI and etcdctl pointed at an agent's port work as against a server: members, kv, catalog, health, raft peers, member list", () => {
    const agent = apis[1]!;
    expect(rosterCli('kv', 'put', 'via-agent/k', 'v', '--endpoint', agent).out).toBe('OK');
    expect(rosterCli('kv', 'get', 'via-agent/k', '--endpoint', agent).out).toBe('v');
    const members = JSON.parse(rosterCli('members', '--endpoint', agent, '--format', 'json').out) as { name: string; role: string }[];
    expect(members.map((m) => m.name)).toEqual(expect.arrayContaining(['consul-a1', 'consul-a2']));
    expect(members.filter((m) => m.role === 'server')).toHaveLength(3);
    expect(rosterCli('catalog', 'nodes', '--endpoint', agent).out).toMatch(/^NODE\s+ADDRESS\s+DC\s+SOURCE\n(.*\n)*consul-a1\s+127\.0\.0\.104\s+dc1\s+agent/);
    expect(rosterCli('operator', 'raft', 'list-peers', '--endpoint', agent).out.split('\n').filter((l) => /\svoter\s/.test(l))).toHaveLength(3);
    const etcd = spawnSync('etcdctl', ['--endpoints', agent, 'member', 'list'], { encoding: 'utf8', timeout: 30_000 });
    expect(etcd.status).toBe(0);
    expect(etcd.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('join and force-leave: an agent started alone joins through /v1/agent/join; killed, it is failed, and force-leave makes it left and deregistered', async () => {
    type Member = { Name: string; Status: number };
    const api3 = `127.0.0.108:${await freePort('127.0.0.108')}`;
    const a3proc = await c.startAgent('consul-a3', '127.0.0.108', ['--api-addr', api3], []);
    const [h3, p3] = api3.split(':');
    const a3 = new Consul({ host: h3!, port: Number(p3) });
    // Alone, it knows no server: joining an address that does not answer fails, and says why.
    const dead = await fetch(`http://${api3}/v1/agent/join/127.0.0.108:1`, { method: 'PUT' });
    expect(dead.status).toBe(500);
    expect(await dead.text()).toMatch(/could not join 127\.0\.0\.108:1/);
    await a3.agent.join(c.servers[0]!.gossipAddr!);
    await eventually('a3 a member, seen by the servers', async () => (((await a1.agent.members()) as Member[]).some((m) => m.Name === 'consul-a3' && m.Status === 1) ? true : undefined), 20_000);
    await eventually('a3 in the catalog', async () => (((await a1.catalog.node.list()) as { Node: string }[]).some((n) => n.Node === 'consul-a3') ? true : undefined), 20_000);
    // A live member cannot be forced out (once a1's own gossip knows it); an unknown one is not found.
    await eventually('a3 alive in a1\'s gossip', async () => ((await fetch(`http://${apis[0]}/v1/agent/force-leave/consul-a3`, { method: 'PUT' })).status === 400 ? true : undefined), 20_000);
    expect((await fetch(`http://${apis[0]}/v1/agent/force-leave/no-such-member`, { method: 'PUT' })).status).toBe(404);
    c.signalAgent(a3proc, 'SIGKILL');
    await eventually('a3 failed at a1', async () => (((await a1.agent.members()) as Member[]).some((m) => m.Name === 'consul-a3' && m.Status === 4) ? true : undefined), 30_000);
    // Forced out with Roster's CLI (the agent API's ForceLeave, what /v1/agent/force-leave calls), once a1's own gossip holds it failed.
    const join = rosterCli('join', '127.0.0.108:1', '--agent', apis[0]!);
    expect(join.code).toBe(1);
    expect(join.err).toMatch(/^roster: could not join 127\.0\.0\.108:1: /);
    await eventually('a3 failed in a1\'s own gossip', async () => {
      const r = rosterCli('force-leave', 'consul-a3', '--agent', apis[0]!);
      if (r.code === 0) return r;
      expect(r.err).toMatch(/^roster: consul-a3 is not failed/);
      return undefined;
    }, 30_000).then((r) => expect(r.out).toBe('consul-a3 is declared left; the leader deregisters its node'));
    // Left in the servers' view, and its node deregistered by the leader.
    await eventually('a3 left', async () => (((await a2.agent.members()) as Member[]).find((m) => m.Name === 'consul-a3')?.Status === 3 ? true : undefined), 20_000);
    await eventually('a3 out of the catalog', async () => (((await a2.catalog.node.list()) as { Node: string }[]).some((n) => n.Node === 'consul-a3') ? undefined : true), 20_000);
  });

  it('catalog register and deregister: an external node and its service, seen by health and DNS', async () => {
    const put = async (path: string, body: unknown): Promise<{ status: number; text: string }> => {
      const r = await fetch(`http://${apis[0]}${path}`, { method: 'PUT', body: JSON.stringify(body) });
      return { status: r.status, text: await r.text() };
    };
    const reg = await put('/v1/catalog/register', { Node: 'ext-db', Address: '10.5.0.9', NodeMeta: { zone: 'b' }, Service: { Service: 'extdb', Port: 5432, Tags: ['primary'] }, Check: { CheckID: 'extdb-up', Name: 'extdb up', Status: 'passing', ServiceID: 'extdb' } });
    expect(reg).toEqual({ status: 200, text: 'true' });
    const rows = (await a2.health.service({ service: 'extdb', passing: true })) as { Node: { Node: string; Meta: Record<string, string> }; Service: { Port: number } }[];
    expect(rows.map((r) => [r.Node.Node, r.Node.Meta.zone, r.Service.Port])).toEqual([['ext-db', 'b', 5432]]);
    await eventually('extdb in DNS', async () => (dig(1, ['+short', 'extdb.service.consul']).out.trim() === '10.5.0.9' ? true : undefined), 10_000);
    expect(dig(1, ['+short', 'ext-db.node.consul']).out.trim()).toBe('10.5.0.9');
    expect((await put('/v1/catalog/register', { Address: '10.5.0.9' })).status).toBe(400);
    expect(await put('/v1/catalog/deregister', { Node: 'ext-db' })).toEqual({ status: 200, text: 'true' });
    expect(await a2.health.service('extdb')).toEqual([]);
  });

  it('DeregisterCriticalServiceAfter: a service whose check stays critical past it is deregistered, from the agent and the catalog', async () => {
    await a1.agent.service.register({ name: 'reaped', id: 'reaped-1', port: 1, check: { ttl: '30s', deregistercriticalserviceafter: '2s' } as never });
    await a1.agent.check.pass({ id: 'service:reaped-1' });
    await eventually('reaped registered', async () => ((await a2.health.service({ service: 'reaped', passing: true })).length === 1 ? true : undefined), 10_000);
    const failedAt = performance.now();
    await a1.agent.check.fail({ id: 'service:reaped-1' });
    await eventually('reaped gone from the catalog', async () => ((await a2.health.service('reaped')).length === 0 ? true : undefined), 10_000);
    const goneAfter = performance.now() - failedAt;
    expect(goneAfter).toBeGreaterThanOrEqual(2000);
    expect(goneAfter).toBeLessThan(5000);
    expect(((await a1.agent.service.list()) as Record<string, unknown>)['reaped-1']).toBeUndefined();
    const tooShort = await fetch(`http://${apis[0]}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'x', Check: { TTL: '10s', DeregisterCriticalServiceAfter: '10ms' } }) });
    expect(tooShort.status).toBe(400);
  });

  it("answers with Consul's status codes and texts", async () => {
    const raw = async (addr: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> => {
      const r = await fetch(`http://${addr}${path}`, { method, ...(body === undefined ? {} : { body }) });
      return { status: r.status, text: await r.text() };
    };
    expect(await raw(apis[0]!, 'GET', '/v1/kv/nothing-here')).toEqual({ status: 404, text: '' });
    expect((await raw(apis[0]!, 'PUT', '/v1/agent/service/register', '{"Name":"bad","Port":"80"}')).status).toBe(400);
    expect((await raw(apis[0]!, 'PUT', '/v1/agent/service/register', '{not json')).text).toMatch(/^Request decode failed/);
    expect((await raw(apis[0]!, 'PUT', '/v1/agent/check/pass/no-such-check')).status).toBe(404);
    expect((await raw(apis[0]!, 'PUT', '/v1/kv/big', 'x'.repeat(600 * 1024))).status).toBe(413);
    expect((await raw(apis[0]!, 'GET', '/v1/kv/x?dc=elsewhere')).status).toBe(500);
    expect((await raw(apis[0]!, 'GET', '/v1/no/such/endpoint')).status).toBe(404);
    expect((await raw(apis[0]!, 'DELETE', '/v1/operator/raft/peer')).status).toBe(400);
    expect(await raw(apis[0]!, 'DELETE', '/v1/operator/raft/peer?address=10.9.9.9:8300')).toEqual({ status: 500, text: 'address "10.9.9.9:8300" was not found in the Raft configuration' });
    expect(await a1.status.leader()).toMatch(/^127\.0\.0\.10[6-8]:\d+$/);
    expect((await a1.status.peers())).toHaveLength(3);
    expect(((await a1.agent.self()) as { Config: { NodeName: string } }).Config.NodeName).toBe('consul-a1');
  });
});
