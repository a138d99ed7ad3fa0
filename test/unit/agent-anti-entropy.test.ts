import { afterEach, describe, expect, it, vi } from 'vitest';
import { AntiEntropy, NoServerKnownError, type CatalogNodeView, type CatalogWriter } from '../../src/agent/local/anti-entropy.js';
import { LocalState, type LocalCheck, type LocalService } from '../../src/agent/local/local-state.js';
import { silentLogger, type Logger } from '../../src/util/logger.js';

/** A catalog in memory, counting writes. */
class FakeCatalog implements CatalogWriter {
  services = new Map<string, LocalService>();
  checks = new Map<string, { id: string; serviceId: string; status: string; output: string }>();
  writes: string[] = [];
  failures = 0;
  /** Calls that find no server known yet (nothing sent). */
  noServer = 0;
  async nodeServices(): Promise<CatalogNodeView | undefined> {
    if (this.noServer > 0) {
      this.noServer--;
      throw new NoServerKnownError();
    }
    if (this.failures > 0) {
      this.failures--;
      throw new Error('no leader');
    }
    return { services: [...this.services.values()], checks: [...this.checks.values()] };
  }
  /** The token each write came with ('-': the agent's own). */
  tokens: string[] = [];
  refuseWithoutToken = false;
  async register(_node: string, s: LocalService, checks: readonly LocalCheck[], token?: string): Promise<void> {
    this.tokens.push(`register ${s.id} ${token ?? '-'}`);
    if (this.refuseWithoutToken && token === undefined) throw new Error('permission denied: token lacks service:write');
    this.writes.push(`register ${s.id}`);
    this.services.set(s.id, s);
    for (const c of checks) this.checks.set(c.id, { id: c.id, serviceId: c.serviceId, status: c.status, output: c.output });
  }
  async deregister(_node: string, id: string, token?: string): Promise<void> {
    this.tokens.push(`deregister ${id} ${token ?? '-'}`);
    if (this.refuseWithoutToken && token === undefined) throw new Error('permission denied: token lacks service:write');
    this.writes.push(`deregister ${id}`);
    this.services.delete(id);
    for (const [k, c] of this.checks) if (c.serviceId === id) this.checks.delete(k);
  }
  async registerNodeChecks(_node: string, checks: readonly LocalCheck[]): Promise<void> {
    this.writes.push(`node checks ${checks.map((c) => c.id).join(',')}`);
    for (const c of checks) this.checks.set(c.id, { id: c.id, serviceId: '', status: c.status, output: c.output });
  }
  async deregisterCheck(_node: string, id: string): Promise<void> {
    this.writes.push(`deregister check ${id}`);
    this.checks.delete(id);
  }
}

const web: LocalService = { id: 'web-1', name: 'web', port: 80, address: '', tags: ['http'], meta: {} };
const check = (status: LocalCheck['status'] = 'critical'): LocalCheck => ({ id: 'web-1-http', name: 'http', serviceId: 'web-1', type: 'http', status, output: '' });

function setup(logger: Logger = silentLogger): { state: LocalState; catalog: FakeCatalog; ae: AntiEntropy } {
  const state = new LocalState();
  const catalog = new FakeCatalog();
  const ae = new AntiEntropy(state, catalog, { node: 'a1', intervalMs: 60_000, minBackoffMs: 1000, maxBackoffMs: 30_000, random: () => 0.5 }, logger);
  return { state, catalog, ae };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AntiEntropy', () => {
  it("syncs each service with the token it was registered with, keeping it until the service's deregistration has landed", async () => {
    const { state, catalog, ae } = setup();
    catalog.refuseWithoutToken = true;
    state.addService(web, [check()]);
    state.setServiceToken('web-1', 'app-secret');
    state.addService({ ...web, id: 'db-1', name: 'db' }, []);
    await expect(ae.syncNow()).rejects.toThrow(/register db-1: permission denied/);
    expect(catalog.tokens).toEqual(['register web-1 app-secret', 'register db-1 -']);
    state.removeService('db-1');
    state.removeService('web-1');
    catalog.tokens = [];
    await ae.syncNow();
    expect(catalog.tokens).toEqual(['deregister web-1 app-secret']);
    // Deregistered: the token is forgotten, unless the service came back meanwhile.
    expect(state.serviceToken('web-1')).toBeUndefined();
    state.setServiceToken('x', 't');
    state.addService({ ...web, id: 'x' }, []);
    state.forgetServiceToken('x');
    expect(state.serviceToken('x')).toBe('t');
  });

  it('registers what the catalog lacks, then writes nothing while they agree', async () => {
    const { state, catalog, ae } = setup();
    state.addService(web, [check()]);
    await ae.syncNow();
    await ae.syncNow();
    expect(catalog.writes).toEqual(['register web-1']);
    expect(catalog.checks.get('web-1-http')?.status).toBe('critical');
  });

  it('a service registered again with only new meta is registered again in the catalog', async () => {
    const { state, catalog, ae } = setup();
    state.addService({ ...web, meta: { version: '1' } }, [check()]);
    await ae.syncNow();
    state.addService({ ...web, meta: { version: '2' } }, [check()]);
    await ae.syncNow();
    await ae.syncNow();
    expect(catalog.writes).toEqual(['register web-1', 'register web-1']);
    expect(catalog.services.get('web-1')?.meta).toEqual({ version: '2' });
  });

  it('re-registers a service the servers lost, and a check whose status changed', async () => {
    const { state, catalog, ae } = setup();
    state.addService(web, [check()]);
    await ae.syncNow();
    catalog.services.clear(); // a server restored from an old snapshot
    await ae.syncNow();
    state.setCheck('web-1-http', 'passing', 'HTTP GET: 200 OK');
    await ae.syncNow();
    expect(catalog.writes).toEqual(['register web-1', 'register web-1', 'register web-1']);
    expect(catalog.checks.get('web-1-http')).toMatchObject({ status: 'passing', output: 'HTTP GET: 200 OK' });
  });

  it('removes services the agent no longer has, and leaves node checks it does not own alone', async () => {
    const { state, catalog, ae } = setup();
    state.addService(web, [check()]);
    await ae.syncNow();
    catalog.checks.set('serfHealth', { id: 'serfHealth', serviceId: '', status: 'passing', output: 'member alive' });
    catalog.services.set('stray', { ...web, id: 'stray' });
    state.removeService('web-1');
    await ae.syncNow();
    expect(catalog.writes.slice(1).sort()).toEqual(['deregister stray', 'deregister web-1']);
    expect(catalog.checks.get('serfHealth')?.status).toBe('passing');
  });

  it("node maintenance: the agent's node-level check reaches the catalog and leaves it when removed; serfHealth stays", async () => {
    const { state, catalog, ae } = setup();
    catalog.checks.set('serfHealth', { id: 'serfHealth', serviceId: '', status: 'passing', output: 'member alive' });
    state.putCheck({ id: '_node_maintenance', name: 'Node maintenance', serviceId: '', type: 'maintenance', status: 'critical', output: 'upgrading' });
    await ae.syncNow();
    await ae.syncNow();
    expect(catalog.checks.get('_node_maintenance')).toMatchObject({ serviceId: '', status: 'critical', output: 'upgrading' });
    state.removeCheck('_node_maintenance');
    await ae.syncNow();
    expect(catalog.writes).toEqual(['node checks _node_maintenance', 'deregister check _node_maintenance']);
    expect(catalog.checks.has('_node_maintenance')).toBe(false);
    expect(catalog.checks.get('serfHealth')?.status).toBe('passing');
  });

  it('service maintenance survives the service being registered again', () => {
    const { state } = setup();
    state.addService(web, [check()]);
    state.putCheck({ id: '_service_maintenance:web-1', name: 'Service maintenance', serviceId: 'web-1', type: 'maintenance', status: 'critical', output: '' });
    state.addService(web, [check('passing')]);
    expect(state.checksOf('web-1').map((c) => c.id).sort()).toEqual(['_service_maintenance:web-1', 'web-1-http']);
  });

  it('a check the agent dropped from a service is removed from the catalog', async () => {
    const { state, catalog, ae } = setup();
    state.addService(web, [check()]);
    state.putCheck({ id: '_service_maintenance:web-1', name: 'Service maintenance', serviceId: 'web-1', type: 'maintenance', status: 'critical', output: '' });
    await ae.syncNow();
    expect(catalog.checks.has('_service_maintenance:web-1')).toBe(true);
    state.removeCheck('_service_maintenance:web-1');
    await ae.syncNow();
    expect(catalog.checks.has('_service_maintenance:web-1')).toBe(false);
    expect(catalog.writes).toEqual(['register web-1', 'deregister check _service_maintenance:web-1']);
  });

  it('a service the servers refuse does not hold back the others; the sync reports it', async () => {
    const { state, catalog, ae } = setup();
    const refused = { ...web, id: 'bad-1', name: 'bad' };
    const register = catalog.register.bind(catalog);
    catalog.register = async (node, s, checks) => (s.id === 'bad-1' ? Promise.reject(new Error('INVALID_ARGUMENT: no')) : register(node, s, checks));
    state.addService(refused, []);
    state.addService(web, [check()]);
    catalog.services.set('stray', { ...web, id: 'stray' });
    await expect(ae.syncNow()).rejects.toThrow(/register bad-1: INVALID_ARGUMENT: no/);
    expect(catalog.writes.sort()).toEqual(['deregister stray', 'register web-1']);
  });

  it('a local change syncs soon; a failure is retried with growing, jittered back-off', async () => {
    vi.useFakeTimers();
    const { state, catalog, ae } = setup();
    catalog.failures = 3;
    ae.start();
    state.addService(web, [check()]);
    await vi.advanceTimersByTimeAsync(20);
    expect(ae.lastError).toBe('no leader');
    // Back-off 1 s, 2 s, 4 s (each between half and all of it, here 0.5 x jitter + half).
    await vi.advanceTimersByTimeAsync(1000);
    expect(ae.syncs).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ae.syncs).toBe(0);
    await vi.advanceTimersByTimeAsync(4000);
    expect(ae.syncs).toBe(1);
    expect(catalog.writes).toEqual(['register web-1']);
    await ae.stop();
  });

  it('start() never puts off a sync already due: services registered before it, whose first sync failed, are retried on the back-off, not after the first interval', async () => {
    vi.useFakeTimers();
    const { state, catalog, ae } = setup();
    catalog.failures = 1;
    // As the agent starts: its configured services are added (a sync soon), which fails (no
    // server known from gossip yet); then start() sets the first full comparison 30 s away.
    state.addService(web, [check()]);
    await vi.advanceTimersByTimeAsync(20);
    expect(ae.lastError).toBe('no leader');
    ae.start();
    // The retry (1 s back-off, jittered to 750 ms here) still comes first.
    await vi.advanceTimersByTimeAsync(1000);
    expect(ae.syncs).toBe(1);
    expect(catalog.writes).toEqual(['register web-1']);
    // And then the interval goes on as before: the next comparison 60-120 s later (90 s here), writing nothing.
    await vi.advanceTimersByTimeAsync(89_000);
    expect(ae.syncs).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ae.syncs).toBe(2);
    expect(catalog.writes).toEqual(['register web-1']);
    await ae.stop();
  });

  it('while gossip names no server, a sync is tried again every 200 ms (nothing was sent), logged once, not on the growing back-off', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const { state, catalog, ae } = setup({ ...silentLogger, warn: (m, f) => void warnings.push(`${m} ${String(f?.inMs)}`) });
    catalog.noServer = 10; // about two seconds of an agent learning its servers
    state.addService(web, [check()]);
    ae.start();
    await vi.advanceTimersByTimeAsync(20 + 10 * 200);
    expect(ae.syncs).toBe(1);
    expect(catalog.writes).toEqual(['register web-1']);
    expect(warnings).toEqual(['anti-entropy sync failed; retrying 200']);
    await ae.stop();
  });
});
