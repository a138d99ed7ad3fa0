/**
 * The scale benchmark's deploy storm: I instances (default 10,000) of S services (default
 * 1,000), W watchers (default 10,000) spread over the three servers, each following one
 * service; then every instance is registered again with new metadata, paced to finish in D
 * seconds (default 10), at most 256 registrations in flight. Measured: the delay from each
 * registration's acknowledgement to each watcher's event (one clock, this process), and how
 * long the storm took to be acknowledged. Roster: the catalog (Catalog.Register) and its
 * registry watch (the SDK's WatchMux); etcd: one key per instance under the service's prefix
 * and a prefix watch through the etcd3 client, which is how etcd users build the same.
 */
import { Etcd3, type Watcher } from 'etcd3';
import { Endpoints } from '../../src/client/endpoints.js';
import { WatchMux } from '../../src/client/watch-mux.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import type { Cluster } from './clusters.js';
import { ownCpuSeconds } from './cpu.js';
import { Delays, percentile, watchServices } from './watch-load.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';

export interface StormArgs {
  readonly instances: number;
  readonly services: number;
  readonly watchers: number;
  readonly stormSeconds: number;
}

export interface StormResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly delivered: number;
  readonly expected: number;
  /** From the first registration sent to the last acknowledged. */
  readonly stormSeconds: number;
  readonly writeErrors: number;
  /** Cores busy during the storm and its delivery: this process (the writer and every watcher), and the three servers. */
  readonly clientCores: number;
  readonly serverCores: number;
}

const MAX_IN_FLIGHT = 256;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes instance 0..I-1 paced over `seconds`, at most MAX_IN_FLIGHT at once; acks recorded by revision. */
async function storm(a: StormArgs, delays: Delays, write: (instance: number) => Promise<number>, progress: Pick<ProgressBar, 'update'>): Promise<{ seconds: number; errors: number }> {
  const start = performance.now();
  let inFlight = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < a.instances; i++) {
    const wait = start + (i * a.stormSeconds * 1000) / a.instances - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT) await Promise.race(pending);
    inFlight++;
    const p: Promise<void> = write(i).then(
      (rev) => {
        delays.acks.set(rev, performance.now());
      },
      () => {
        errors++;
      },
    );
    const tracked = p.finally(() => {
      inFlight--;
      pending.delete(tracked);
    });
    pending.add(tracked);
    if (i % 200 === 0) progress.update(0.5 + (0.4 * i) / a.instances);
  }
  await Promise.all(pending);
  return { seconds: (performance.now() - start) / 1000, errors };
}

async function settle(delays: Delays, expected: number): Promise<void> {
  const until = performance.now() + 30_000;
  while (performance.now() < until && delays.arrivals.length < expected) await sleep(50);
}

/** The storm and its delivery, with the CPU the client and the servers used meanwhile. */
async function measured(c: Cluster, a: StormArgs, delays: Delays, write: (instance: number) => Promise<number>, progress: ProgressBar): Promise<StormResult> {
  const t0 = performance.now();
  const cpu0 = { client: ownCpuSeconds(), servers: c.cpuSeconds().reduce((x, y) => x + y, 0) };
  const s = await storm(a, delays, write, progress);
  const expected = expectedDeliveries(a);
  await settle(delays, expected);
  const elapsed = (performance.now() - t0) / 1000;
  const clientCores = (ownCpuSeconds() - cpu0.client) / elapsed;
  const serverCores = (c.cpuSeconds().reduce((x, y) => x + y, 0) - cpu0.servers) / elapsed;
  const { sorted, delivered } = delays.result();
  return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[sorted.length - 1] ?? NaN, delivered, expected, stormSeconds: s.seconds, writeErrors: s.errors, clientCores, serverCores };
}

/** Every watcher hears each registration of its service's instances: I / S * W / S per service, W / S per write. */
const expectedDeliveries = (a: StormArgs): number => a.instances * Math.round(a.watchers / a.services);

export async function rosterStorm(c: Cluster, a: StormArgs, progress: ProgressBar): Promise<StormResult> {
  const endpoints = c.servers.map((s) => new Endpoints([s.client]));
  const muxes = endpoints.map((e) => new WatchMux(e));
  const writer = new Endpoints(c.servers.map((s) => s.client));
  const Catalog = registryProto().roster.registry.v1.Catalog;
  // Ten instances a host: a deploy re-registers every instance on every host.
  const register = async (i: number, seq: number): Promise<number> => {
    const res = await writer.unary(Catalog, 'Register', { node: { name: `storm-node-${Math.floor(i / 10)}`, address: `10.8.${Math.floor(i / 2560) % 256}.${Math.floor(i / 10) % 256}` }, service: { name: `storm-svc-${i % a.services}`, id: `storm-${i}`, port: 8000 + (i % 1000), meta: { seq: String(seq) } } }, 10_000);
    return Number(res.revision);
  };
  const delays = new Delays();
  try {
    const warm = await storm({ ...a, stormSeconds: 0 }, new Delays(), (i) => register(i, 0), { update: (f: number) => progress.update(0.2 * f) });
    if (warm.errors > 0) throw new Error(`${warm.errors} first registrations failed`);
    await watchServices(muxes, a.watchers, (w) => `storm-svc-${w % a.services}`, delays, (f) => progress.update(0.2 + 0.3 * f));
    return await measured(c, a, delays, (i) => register(i, 1), progress);
  } finally {
    for (const m of muxes) m.close();
    for (const e of endpoints) e.close();
    writer.close();
  }
}

export async function etcdStorm(c: Cluster, a: StormArgs, progress: ProgressBar): Promise<StormResult> {
  const clients = c.servers.map((s) => new Etcd3({ hosts: [s.client] }));
  const writer = new Etcd3({ hosts: c.servers.map((s) => s.client) });
  const watchers: Watcher[] = [];
  const delays = new Delays();
  const put = async (i: number, seq: number): Promise<number> => {
    const value = JSON.stringify({ id: `storm-${i}`, node: `storm-node-${Math.floor(i / 10)}`, port: 8000 + (i % 1000), meta: { seq: String(seq) } });
    return Number((await writer.put(`storm/svc-${i % a.services}/storm-${i}`).value(value)).header.revision);
  };
  try {
    const warm = await storm({ ...a, stormSeconds: 0 }, new Delays(), (i) => put(i, 0), { update: (f: number) => progress.update(0.2 * f) });
    if (warm.errors > 0) throw new Error(`${warm.errors} first puts failed`);
    for (let w = 0; w < a.watchers; w++) {
      const watcher = await clients[w % clients.length]!.watch().prefix(`storm/svc-${w % a.services}/`).create();
      watcher.on('put', (kv) => delays.arrived(Number(kv.mod_revision)));
      watchers.push(watcher);
      if (w % 100 === 0) progress.update(0.2 + (0.3 * w) / a.watchers);
    }
    return await measured(c, a, delays, (i) => put(i, 1), progress);
  } finally {
    // Cancel first: the etcd3 client re-opens (on a timer) watch streams that a close() breaks.
    await Promise.all(watchers.map((w) => w.cancel().catch(() => undefined)));
    writer.close();
    for (const cl of clients) cl.close();
  }
}
