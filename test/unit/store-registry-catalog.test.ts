import { describe, expect, it } from 'vitest';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import type { OrderedKv } from '../../src/store/kv/ordered-kv.js';
import { MvccStore, type ApplyResult } from '../../src/store/kv/mvcc-store.js';
import { putRequest } from '../../src/store/kv/requests.js';
import { checkOf, nodeOf, registerOf, serviceOf } from '../../src/store/registry/builders.js';
import type { RegistryCommand, RegistryResponse } from '../../src/store/registry/commands.js';
import { checksInState, listNodes, listServices, nodeAndCheck, nodeServices, nodeSource, serviceInstances, type InstanceFilter } from '../../src/store/registry/queries.js';
import { DEFAULT_SESSION_CHECK } from '../../src/store/registry/sessions.js';
import { RegistryExtension } from '../../src/store/registry/registry-extension.js';
import { seededRng } from '../../src/util/rng.js';

const ANY: InstanceFilter = { tag: '', nodeMeta: {}, passingOnly: false };

class Catalog {
  index = 0;
  private constructor(readonly store: MvccStore<RegistryCommand, RegistryResponse>) {}
  static async create(): Promise<Catalog> {
    return new Catalog(await MvccStore.open(new MemoryOrderedKv(), { extension: new RegistryExtension() }));
  }
  async run(command: RegistryCommand | Parameters<MvccStore['apply']>[0][0]['command']): Promise<ApplyResult<RegistryResponse>> {
    const [r] = await this.store.apply([{ index: ++this.index, command: command }]);
    return r!;
  }
  async ok(command: RegistryCommand): Promise<RegistryResponse> {
    const r = await this.run(command);
    if (!r.ok) throw r.error;
    return r.response as RegistryResponse;
  }
  async fails(command: RegistryCommand): Promise<{ code: string; message: string }> {
    const r = await this.run(command);
    if (r.ok) throw new Error('expected a failure');
    return { code: r.error.code, message: r.error.message };
  }
  instances(service: string, filter: Partial<InstanceFilter> = {}): Promise<{ id: string; node: string; status: string; checks: string[] }[]> {
    return this.store.read(async (v) =>
      (await serviceInstances(v.kv, service, { ...ANY, ...filter })).instances.map((i) => ({
        id: i.record.service.id,
        node: i.record.node.name,
        status: i.record.status,
        checks: i.record.checks.map((c) => `${c.id}:${c.status}`),
      })),
    );
  }
  index_(service: string): Promise<number> {
    return this.store.read(async (v) => (await serviceInstances(v.kv, service, ANY)).index);
  }
  services(): Promise<{ name: string; instances: number; passing: number; tags: Record<string, number> }[]> {
    return this.store.read(async (v) => (await listServices(v.kv, {})).map((s) => ({ ...s.record })));
  }
}

const web = (node: string, id: string, extra: Partial<Parameters<typeof serviceOf>[2]> = {}) => serviceOf(node, 'web', { id, port: 8080, ...extra });

describe('the catalog', () => {
  it('moves a check between services, or from the node to a service, out of the views it left (the node record unchanged)', async () => {
    const c = await Catalog.create();
    const node = nodeOf('n1', '10.0.0.1');
    await c.ok(registerOf(node, { service: serviceOf('n1', 'web', { id: 'web-1', port: 80 }), checks: [checkOf('n1', 'chk', { serviceId: 'web-1', status: 'critical' })] }));
    await c.ok(registerOf(node, { service: serviceOf('n1', 'api', { id: 'api-1', port: 81 }), checks: [checkOf('n1', 'host', { status: 'passing' })] }));
    expect((await c.instances('web'))[0]!.checks.sort()).toEqual(['chk:critical', 'host:passing']);
    // The same check id now belongs to api-1, registered with the node record as it was.
    await c.ok(registerOf(node, { checks: [checkOf('n1', 'chk', { serviceId: 'api-1', status: 'passing' })] }));
    expect((await c.instances('web'))[0]).toMatchObject({ checks: ['host:passing'], status: 'passing' });
    expect((await c.instances('api'))[0]!.checks.sort()).toEqual(['chk:passing', 'host:passing']);
    // The node-level check now belongs to web-1 only: api-1 no longer shows it.
    await c.ok(registerOf(node, { checks: [checkOf('n1', 'host', { serviceId: 'web-1', status: 'critical' })] }));
    expect((await c.instances('api'))[0]).toMatchObject({ checks: ['chk:passing'], status: 'passing' });
    expect((await c.instances('web'))[0]).toMatchObject({ checks: ['host:critical'], status: 'critical' });
    expect((await c.services()).find((s) => s.name === 'web')).toMatchObject({ instances: 1, passing: 0 });
  });

  it('reads everything a registration needs in the batch\'s one getMany: re-registering a service does no single read of the backend', async () => {
    const base = new MemoryOrderedKv();
    const calls = { get: 0, getMany: 0 };
    const counted: OrderedKv = {
      get: (k) => {
        calls.get++;
        return base.get(k);
      },
      getMany: (ks) => {
        calls.getMany++;
        return Promise.all(ks.map((k) => base.get(k)));
      },
      scan: (r) => base.scan(r),
      write: (ops) => base.write(ops),
    };
    const store = await MvccStore.open(counted, { extension: new RegistryExtension() });
    const node = nodeOf('n1', '10.0.0.1');
    let index = 0;
    const register = async (cmds: RegistryCommand[]): Promise<void> => {
      for (const r of await store.apply(cmds.map((command) => ({ index: ++index, command })))) if (!r.ok) throw r.error;
    };
    await register([registerOf(node, { service: serviceOf('n1', 'web', { id: 'web-1', port: 80 }), checks: [checkOf('n1', 'web-1-alive', { serviceId: 'web-1', status: 'passing' })] }), registerOf(node, { service: serviceOf('n1', 'api', { id: 'api-1', port: 81 }) })]);
    calls.get = 0;
    calls.getMany = 0;
    // A deploy's batch: both services again with new metadata, one with its check.
    await register([
      registerOf(node, { service: serviceOf('n1', 'web', { id: 'web-1', port: 80, meta: { v: '2' } }), checks: [checkOf('n1', 'web-1-alive', { serviceId: 'web-1', status: 'passing' })] }),
      registerOf(node, { service: serviceOf('n1', 'api', { id: 'api-1', port: 81, meta: { v: '2' } }) }),
    ]);
    expect(calls).toEqual({ get: 0, getMany: 1 });
    const instances = await store.read(async (v) => (await serviceInstances(v.kv, 'web', ANY)).instances.map((i) => [i.record.service.meta, i.record.status]));
    expect(instances).toEqual([[{ v: '2' }, 'passing']]);
  });

  it('rebuilds only the instances a registration changes: one service re-registered touches that instance, a changed node record or node check every instance on the node', async () => {
    const c = await Catalog.create();
    const node = nodeOf('n1', '10.0.0.1');
    for (const [name, id] of [['web', 'web-1'], ['web', 'web-2'], ['api', 'api-1']] as const) await c.ok(registerOf(node, { service: serviceOf('n1', name, { id, port: 80 }) }));
    const revisions = (): Promise<Record<string, { rev: number; address: string; checks: number }>> =>
      c.store.read(async (v) => {
        const out: Record<string, { rev: number; address: string; checks: number }> = {};
        for (const name of ['web', 'api']) for (const i of (await serviceInstances(v.kv, name, ANY)).instances) out[i.record.service.id] = { rev: i.modRevision, address: i.record.node.address, checks: i.record.checks.length };
        return out;
      });
    const first = await revisions();
    // A deploy: the host registers web-1 again with new metadata and the same node record.
    await c.ok(registerOf(node, { service: serviceOf('n1', 'web', { id: 'web-1', port: 80, meta: { version: '2' } }) }));
    const deployed = await revisions();
    expect(deployed['web-1']!.rev).toBeGreaterThan(first['web-1']!.rev);
    expect([deployed['web-2']!.rev, deployed['api-1']!.rev]).toEqual([first['web-2']!.rev, first['api-1']!.rev]);
    // The host's address changed: every instance on it shows the new one.
    await c.ok(registerOf(nodeOf('n1', '10.0.0.9'), { service: serviceOf('n1', 'api', { id: 'api-1', port: 80 }) }));
    const moved = await revisions();
    for (const id of ['web-1', 'web-2', 'api-1']) {
      expect(moved[id]!.rev, id).toBeGreaterThan(deployed[id]!.rev);
      expect(moved[id]!.address, id).toBe('10.0.0.9');
    }
    // A node-level check reaches every instance; registering it again unchanged reaches none.
    const nodeCheck = registerOf(nodeOf('n1', '10.0.0.9'), { skipNodeUpdate: true, checks: [checkOf('n1', 'host-alive', { status: 'passing' })] });
    await c.ok(nodeCheck);
    const checked = await revisions();
    for (const id of ['web-1', 'web-2', 'api-1']) expect(checked[id], id).toEqual({ rev: expect.any(Number) as number, address: '10.0.0.9', checks: 1 });
    for (const id of ['web-1', 'web-2', 'api-1']) expect(checked[id]!.rev, id).toBeGreaterThan(moved[id]!.rev);
    await c.ok(nodeCheck);
    expect(await revisions()).toEqual(checked);
  });

  it('registers a node, a service and its check, and discovery sees the instance with its health', async () => {
    const c = await Catalog.create();
    const res = await c.ok(registerOf(nodeOf('n1', '10.0.0.1'), { service: web('n1', 'web-1', { tags: ['v1'] }), checks: [checkOf('n1', 'web-1-alive', { serviceId: 'web-1', status: 'passing' })] }));
    expect(res).toEqual({ type: 'register', revision: 2, changed: true });
    expect(await c.instances('web')).toEqual([{ id: 'web-1', node: 'n1', status: 'passing', checks: ['web-1-alive:passing'] }]);
    expect(await c.services()).toEqual([{ name: 'web', instances: 1, passing: 1, tags: { v1: 1 } }]);
    expect(await c.index_('web')).toBe(2);
  });

  it('a new check without a status starts critical; re-registering without one keeps the current status', async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w'), checks: [checkOf('n1', 'chk', { serviceId: 'w' })] }));
    expect((await c.instances('web'))[0]?.status).toBe('critical');
    await c.ok({ type: 'updateCheck', node: 'n1', checkId: 'chk', status: 'passing', output: 'ok' });
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w'), checks: [checkOf('n1', 'chk', { serviceId: 'w', output: 'ok' })] }));
    expect((await c.instances('web'))[0]?.status).toBe('passing');
  });

  it('registering exactly what is there changes nothing: no revision, no modify index', async () => {
    const c = await Catalog.create();
    const reg = registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w', { meta: { b: '2', a: '1' } }), checks: [checkOf('n1', 'c', { serviceId: 'w', status: 'passing' })] });
    const first = await c.ok(reg);
    const again = await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w', { meta: { a: '1', b: '2' } }), checks: [checkOf('n1', 'c', { serviceId: 'w', status: 'passing' })] }));
    expect(again).toEqual({ type: 'register', revision: first.revision, changed: false });
    expect(c.store.revision()).toBe(first.revision);
  });

  it("a health change moves only that service's modify index, and the passing filter follows it", async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w1'), checks: [checkOf('n1', 'h1', { serviceId: 'w1', status: 'passing' })] }));
    await c.ok(registerOf(nodeOf('n2', 'b'), { service: web('n2', 'w2'), checks: [checkOf('n2', 'h2', { serviceId: 'w2', status: 'passing' })] }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: serviceOf('n1', 'db', { port: 5432 }) }));
    const dbIndex = await c.index_('db');
    const res = await c.ok({ type: 'updateCheck', node: 'n2', checkId: 'h2', status: 'critical', output: 'down' });
    expect(await c.index_('web')).toBe(res.revision);
    expect(await c.index_('db')).toBe(dbIndex);
    expect((await c.instances('web', { passingOnly: true })).map((i) => i.id)).toEqual(['w1']);
    expect(await c.services()).toEqual([
      { name: 'db', instances: 1, passing: 1, tags: {} },
      { name: 'web', instances: 2, passing: 1, tags: {} },
    ]);
    // The same status and output again is not a change.
    expect((await c.ok({ type: 'updateCheck', node: 'n2', checkId: 'h2', status: 'critical', output: 'down' })).changed).toBe(false);
  });

  it("a node-level check counts for every service on the node", async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w1') }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: serviceOf('n1', 'db') }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { checks: [checkOf('n1', 'serfHealth', { status: 'critical', type: 'gossip' })] }));
    expect((await c.instances('web'))[0]).toMatchObject({ status: 'critical', checks: ['serfHealth:critical'] });
    expect((await c.instances('db'))[0]?.status).toBe('critical');
    await c.ok({ type: 'updateCheck', node: 'n1', checkId: 'serfHealth', status: 'passing', output: '' });
    expect((await c.instances('db', { passingOnly: true })).length).toBe(1);
  });

  it('filters instances by tag and node meta', async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a', { meta: { zone: 'a' } }), { service: web('n1', 'w1', { tags: ['blue', 'v1'] }) }));
    await c.ok(registerOf(nodeOf('n2', 'b', { meta: { zone: 'b' } }), { service: web('n2', 'w2', { tags: ['green', 'v1'] }) }));
    expect((await c.instances('web', { tag: 'blue' })).map((i) => i.id)).toEqual(['w1']);
    expect((await c.instances('web', { nodeMeta: { zone: 'b' } })).map((i) => i.id)).toEqual(['w2']);
    expect((await c.services())[0]?.tags).toEqual({ blue: 1, green: 1, v1: 2 });
    expect((await c.store.read((v) => listServices(v.kv, { zone: 'c' }))).length).toBe(0);
    expect((await c.store.read((v) => listNodes(v.kv, { zone: 'a' }))).map((n) => n.record.name)).toEqual(['n1']);
  });

  it('renaming an instance moves it between services; the old service disappears when empty', async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'x') }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: serviceOf('n1', 'api', { id: 'x' }) }));
    expect(await c.instances('web')).toEqual([]);
    expect((await c.instances('api')).map((i) => i.id)).toEqual(['x']);
    expect((await c.services()).map((s) => s.name)).toEqual(['api']);
  });

  it('deregisters a check, a service with its checks, and a node with everything', async () => {
    const c = await Catalog.create();
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w1'), checks: [checkOf('n1', 'h1', { serviceId: 'w1', status: 'critical' }), checkOf('n1', 'node-ok', { status: 'passing' })] }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: serviceOf('n1', 'db') }));
    await c.ok({ type: 'deregister', node: 'n1', serviceId: '', checkId: 'h1' });
    expect((await c.instances('web'))[0]?.status).toBe('passing');
    await c.ok({ type: 'deregister', node: 'n1', serviceId: 'w1', checkId: '' });
    expect(await c.instances('web')).toEqual([]);
    expect((await c.store.read((v) => nodeServices(v.kv, 'n1')))?.services.map((s) => s.record.id)).toEqual(['db']);
    // One node and one check by point reads (the leader's gossip reconciler).
    const nc = await c.store.read((v) => nodeAndCheck(v.kv, 'n1', 'node-ok'));
    expect([nc?.node.record.address, nc?.check?.record.status]).toEqual(['a', 'passing']);
    expect((await c.store.read((v) => nodeAndCheck(v.kv, 'n1', 'nope')))?.check).toBeUndefined();
    expect(await c.store.read((v) => nodeAndCheck(v.kv, 'n9', 'node-ok'))).toBeUndefined();
    await c.ok({ type: 'deregister', node: 'n1', serviceId: '', checkId: '' });
    expect(await c.store.read((v) => nodeServices(v.kv, 'n1'))).toBeUndefined();
    expect(await c.services()).toEqual([]);
    expect(await c.store.read((v) => checksInState(v.kv, 'any', ''))).toEqual([]);
    // Deregistering what is gone is a no-op, not an error (retries are safe).
    expect((await c.ok({ type: 'deregister', node: 'n1', serviceId: 'w1', checkId: '' })).changed).toBe(false);
  });

  it('a node made by registering a service goes with its last service; one registered itself, or with a check, stays; the source says which', async () => {
    const c = await Catalog.create();
    // As the leader proposes registrations once every server applies the mark (features.ts).
    const reg = (node: Parameters<typeof registerOf>[0], fields: Parameters<typeof registerOf>[1] = {}) => registerOf(node, { implicitNodes: true, ...fields });
    const sources = (): Promise<string[]> => c.store.read(async (v) => Promise.all((await listNodes(v.kv, {})).map(async (n) => `${n.record.name}:${await nodeSource(v.kv, n)}`)));
    await c.ok(reg(nodeOf('made', 'a'), { service: web('made', 'w1') }));
    await c.ok(reg(nodeOf('made', 'a'), { service: web('made', 'w2') }));
    await c.ok(reg(nodeOf('itself', 'b')));
    await c.ok(reg(nodeOf('itself', 'b'), { service: web('itself', 'w3') }));
    await c.ok(reg(nodeOf('member', 'c'), { service: web('member', 'w4') }));
    await c.ok(reg(nodeOf('member', 'c'), { checks: [checkOf('member', DEFAULT_SESSION_CHECK, { status: 'passing' })] }));
    await c.ok(reg(nodeOf('checked', 'd'), { service: web('checked', 'w5'), checks: [checkOf('checked', 'disk', { status: 'passing' })] }));
    expect(await sources()).toEqual(['checked:registration', 'itself:catalog', 'made:registration', 'member:agent']);
    await c.ok({ type: 'deregister', node: 'made', serviceId: 'w1', checkId: '' });
    expect(await sources()).toContain('made:registration');
    for (const [node, id] of [['made', 'w2'], ['itself', 'w3'], ['member', 'w4'], ['checked', 'w5']] as const) await c.ok({ type: 'deregister', node, serviceId: id, checkId: '' });
    expect(await sources()).toEqual(['checked:registration', 'itself:catalog', 'member:agent']);
    // The same for a service whose lease ran out.
    expect((await c.run({ type: 'leaseGrant', request: { id: 7n, ttl: 60 } })).ok).toBe(true);
    await c.ok(reg(nodeOf('leased', 'e'), { service: web('leased', 'w6'), lease: 7n }));
    expect(await sources()).toContain('leased:registration');
    expect((await c.run({ type: 'leaseRevoke', request: { id: 7n } })).ok).toBe(true);
    expect(await sources()).not.toContain('leased:registration');
    // A session on the node keeps it (a lock held there outlives the service).
    await c.ok(reg(nodeOf('locked', 'g'), { service: web('locked', 'w8') }));
    await c.ok({ type: 'sessionCreate', id: 's-locked', name: '', node: 'locked', checks: [], ttlMs: 0, behavior: 'release', lockDelayMs: 0 });
    await c.ok({ type: 'deregister', node: 'locked', serviceId: 'w8', checkId: '' });
    expect(await sources()).toContain('locked:registration');
    // Without the flag (an entry from before every server had it), no mark: the node stays, as it did.
    await c.ok(registerOf(nodeOf('old', 'f'), { service: web('old', 'w7') }));
    await c.ok({ type: 'deregister', node: 'old', serviceId: 'w7', checkId: '' });
    expect(await sources()).toContain('old:catalog');
  });

  it('a service attached to a lease goes, with its checks, when the lease is revoked', async () => {
    const c = await Catalog.create();
    await c.run({ type: 'leaseGrant', request: { id: 5n, ttl: 10 } });
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w1'), checks: [checkOf('n1', 'h', { serviceId: 'w1', status: 'passing' })], lease: 5n }));
    await c.ok(registerOf(nodeOf('n1', 'a'), { service: web('n1', 'w2') }));
    await c.run({ type: 'put', request: putRequest(new TextEncoder().encode('k'), new Uint8Array(0), { lease: 5n }) });
    const before = c.store.revision();
    const revoked = await c.run({ type: 'leaseRevoke', request: { id: 5n } });
    expect(revoked.ok && revoked.response).toMatchObject({ type: 'leaseRevoke', response: { deleted: 2, revision: before + 1 } });
    expect((await c.instances('web')).map((i) => i.id)).toEqual(['w2']);
    expect(await c.store.read((v) => checksInState(v.kv, 'any', ''))).toEqual([]);
  });

  it.each([
    { name: 'a lease that does not exist', cmd: registerOf(nodeOf('n', 'a'), { service: serviceOf('n', 's'), lease: 9n }), code: 'LEASE_NOT_FOUND' },
    { name: 'an empty node name', cmd: registerOf(nodeOf('', 'a')), code: 'INVALID_REGISTRATION' },
    { name: 'a NUL in a service name', cmd: registerOf(nodeOf('n', 'a'), { service: serviceOf('n', 'bad\u0000name') }), code: 'INVALID_REGISTRATION' },
    { name: 'a port out of range', cmd: registerOf(nodeOf('n', 'a'), { service: serviceOf('n', 's', { port: 70000 }) }), code: 'INVALID_REGISTRATION' },
    { name: 'a TTL check without a TTL', cmd: registerOf(nodeOf('n', 'a'), { checks: [checkOf('n', 'c', { type: 'ttl' })] }), code: 'INVALID_REGISTRATION' },
    { name: 'a check of a missing service', cmd: registerOf(nodeOf('n', 'a'), { checks: [checkOf('n', 'c', { serviceId: 'nope' })] }), code: 'SERVICE_NOT_FOUND' },
    { name: 'an update of a missing check', cmd: { type: 'updateCheck', node: 'n', checkId: 'c', status: 'passing', output: '' } satisfies RegistryCommand, code: 'CHECK_NOT_FOUND' },
    { name: 'too many tags', cmd: registerOf(nodeOf('n', 'a'), { service: serviceOf('n', 's', { tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }) }), code: 'INVALID_REGISTRATION' },
    { name: 'output over 4 KB', cmd: registerOf(nodeOf('n', 'a'), { checks: [checkOf('n', 'c', { output: 'x'.repeat(4097) })] }), code: 'INVALID_REGISTRATION' },
  ])('refuses $name with $code and writes nothing', async ({ cmd, code }) => {
    const c = await Catalog.create();
    const before = c.store.revision();
    expect((await c.fails(cmd)).code).toBe(code);
    expect(c.store.revision()).toBe(before);
    expect(await c.store.read((v) => listNodes(v.kv, {}))).toEqual([]);
  });
});

describe('derived views stay equal to a recomputation from the primary records', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %d: random registrations, health changes and deregistrations', async (seed) => {
    const rng = seededRng(seed);
    const c = await Catalog.create();
    const nodes = ['n1', 'n2', 'n3'];
    const names = ['web', 'db', 'cache'];
    const statuses = ['passing', 'warning', 'critical'] as const;
    for (let step = 0; step < 150; step++) {
      const node = rng.pick(nodes);
      const x = rng.next();
      let cmd: RegistryCommand;
      if (x < 0.45) {
        const id = `s${rng.int(4)}`;
        cmd = registerOf(nodeOf(node, `10.0.0.${rng.int(3)}`, { meta: { zone: rng.pick(['a', 'b']) } }), {
          service: serviceOf(node, rng.pick(names), { id, tags: rng.chance(0.5) ? [rng.pick(['x', 'y'])] : [] }),
          checks: rng.chance(0.5) ? [checkOf(node, `c-${id}`, { serviceId: id, status: rng.pick(statuses) })] : [],
        });
      } else if (x < 0.6) {
        cmd = registerOf(nodeOf(node, 'addr'), { skipNodeUpdate: rng.chance(0.5), checks: [checkOf(node, 'serfHealth', { status: rng.pick(statuses) })] });
      } else if (x < 0.8) {
        cmd = { type: 'updateCheck', node, checkId: rng.chance(0.3) ? 'serfHealth' : `c-s${rng.int(4)}`, status: rng.pick(statuses), output: String(rng.int(3)) };
      } else {
        const what = rng.int(3);
        cmd = { type: 'deregister', node, serviceId: what === 0 ? `s${rng.int(4)}` : '', checkId: what === 1 ? `c-s${rng.int(4)}` : '' };
      }
      await c.run(cmd); // failures (a missing check) are part of the mix
    }
    // Recompute every instance and summary from nodes, services and checks.
    const expected = await c.store.read(async (v) => {
      const out = new Map<string, { instances: number; passing: number; tags: Record<string, number> }>();
      const views: string[] = [];
      for (const n of await listNodes(v.kv, {})) {
        const ns = (await nodeServices(v.kv, n.record.name))!;
        for (const s of ns.services) {
          const checks = ns.checks.filter((ch) => ch.record.serviceId === '' || ch.record.serviceId === s.record.id).map((ch) => ch.record.status);
          const status = checks.includes('critical') ? 'critical' : checks.includes('warning') ? 'warning' : 'passing';
          views.push(`${s.record.name}/${n.record.name}/${s.record.id}:${status}:${n.record.address}`);
          const sum = out.get(s.record.name) ?? { instances: 0, passing: 0, tags: {} };
          sum.instances++;
          if (status === 'passing') sum.passing++;
          for (const t of new Set(s.record.tags)) sum.tags[t] = (sum.tags[t] ?? 0) + 1;
          out.set(s.record.name, sum);
        }
      }
      return { views: views.sort(), summaries: [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, s]) => ({ name, ...s })) };
    });
    const actualViews: string[] = [];
    for (const name of names) {
      const { instances } = await c.store.read((v) => serviceInstances(v.kv, name, ANY));
      for (const i of instances) actualViews.push(`${name}/${i.record.node.name}/${i.record.service.id}:${i.record.status}:${i.record.node.address}`);
    }
    expect(expected.views.length).toBeGreaterThan(0);
    expect(actualViews.sort()).toEqual(expected.views);
    const summaries = (await c.services()).map((s) => ({ name: s.name, instances: s.instances, passing: s.passing, tags: s.tags }));
    expect(summaries).toEqual(expected.summaries);
  });
});
