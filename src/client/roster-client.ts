import { registryProto } from '../proto/registry-proto.js';
import { instanceOf } from './convert.js';
import { Endpoints } from './endpoints.js';
import { PLAINTEXT, tlsDialer, type ClientTls } from './dialer.js';
import { checkedToken, withToken } from './token-dialer.js';
import { invokeOn, type FailMode } from './invoke.js';
import { LeaseKeeper } from './lease-keeper.js';
import { LeaderElection, Lock, type LockOptions } from './lock.js';
import { Registration, type Lifetime, type NodeDefinition, type ServiceDefinition } from './registration.js';
import { selectorOf, type Selector, type SelectorName } from './selectors.js';
import { ServiceCache, type DiscoverOptions } from './service-cache.js';
import type { Instance } from './types.js';
import { WatchMux } from './watch-mux.js';

export interface RosterClientOptions {
  /** Agents or servers (host:port of their gRPC API); the client fails over between them. */
  readonly endpoints: readonly string[];
  /** The node this application runs on: its registrations and sessions belong to it. */
  readonly node?: NodeDefinition;
  /** Deadline of each call (default 5 s). */
  readonly timeoutMs?: number;
  /** TLS to the endpoints: the CA to trust, and a certificate where servers require one. */
  readonly tls?: ClientTls;
  /**
   * An ACL token's secret id, sent as x-roster-token with every call (registrations, watches,
   * KV, locks). Without one, servers with ACLs on treat the calls as the anonymous token's.
   */
  readonly token?: string;
}

export interface CallOptions {
  readonly selector?: SelectorName | Selector;
  readonly failMode?: FailMode;
  readonly retries?: number;
  /** For the consistent-hash selector. */
  readonly key?: string;
}

/**
 * Roster's SDK. Register an instance (kept alive by TTL renewals or an etcd lease, registered
 * again if the servers lose it), discover instances through a cache fed by a watch stream (it
 * keeps serving the last known instances, marked stale, when no server answers), call them with
 * a selector and a fail mode, and take locks or lead elections.
 */
export class RosterClient {
  readonly endpoints: Endpoints;
  private readonly mux: WatchMux;
  private readonly keeper: LeaseKeeper;
  private readonly caches = new Map<string, ServiceCache>();
  private readonly selectors = new Map<string, Selector>();
  private readonly registrations = new Set<Registration>();
  private readonly timeoutMs: number;

  constructor(private readonly o: RosterClientOptions) {
    this.endpoints = new Endpoints(o.endpoints, withToken(o.tls === undefined ? PLAINTEXT : tlsDialer(o.tls), checkedToken(o.token)));
    this.mux = new WatchMux(this.endpoints);
    this.keeper = new LeaseKeeper(this.endpoints);
    this.timeoutMs = o.timeoutMs ?? 5000;
  }

  private node(): NodeDefinition {
    if (this.o.node === undefined) throw new Error('this needs the client option `node` (the node the application runs on)');
    return this.o.node;
  }

  /** Registers `service` on this client's node and keeps it registered until the returned registration stops. */
  async register(service: ServiceDefinition, lifetime: Lifetime = { ttlMs: 10_000 }): Promise<Registration> {
    const r = new Registration(this.endpoints, this.keeper, this.node(), service, lifetime, this.timeoutMs);
    await r.start();
    this.registrations.add(r);
    r.once('stopped', () => this.registrations.delete(r));
    return r;
  }

  /** A live cache of a service's instances (healthy ones by default); await its ready(). */
  discover(service: string, opts: DiscoverOptions = {}): ServiceCache {
    const key = JSON.stringify([service, opts.passingOnly ?? true, opts.tag ?? '', Object.entries(opts.nodeMeta ?? {}).sort(), opts.allowStale ?? false]);
    let c = this.caches.get(key);
    if (c === undefined) {
      c = new ServiceCache(service, this.mux, opts);
      this.caches.set(key, c);
    }
    return c;
  }

  /** One query of a service's instances (no cache), consistent by default. */
  async instances(service: string, opts: { passingOnly?: boolean; tag?: string; stale?: boolean } = {}): Promise<Instance[]> {
    const res = await this.endpoints.unary(
      registryProto().roster.registry.v1.Health,
      'ServiceInstances',
      { service, passingOnly: opts.passingOnly ?? true, tag: opts.tag ?? '', options: { consistency: opts.stale === true ? 'STALE' : 'CONSISTENT' } },
      this.timeoutMs,
    );
    return res.instances.map(instanceOf);
  }

  /**
   * Calls `fn` on one healthy instance of `service`, chosen by the selector (round-robin by
   * default), handling failures by the fail mode (fail-over by default). Uses the discovery
   * cache, so it keeps working on the last known instances when no server answers.
   */
  async call<T>(service: string, fn: (instance: Instance) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const cache = this.discover(service);
    await cache.ready();
    const selector = typeof opts.selector === 'object' ? opts.selector : this.selectorFor(service, opts.selector ?? 'round-robin');
    return invokeOn(cache.instances(), fn, { selector, failMode: opts.failMode, retries: opts.retries, key: opts.key });
  }

  private selectorFor(service: string, name: SelectorName): Selector {
    const k = `${service}|${name}`;
    let s = this.selectors.get(k);
    if (s === undefined) {
      s = selectorOf(name);
      this.selectors.set(k, s);
    }
    return s;
  }

  lock(key: string | Uint8Array, opts: LockOptions = {}): Lock {
    return new Lock(this.endpoints, this.mux, this.node(), typeof key === 'string' ? Buffer.from(key) : key, opts, this.timeoutMs);
  }

  /** Leader election on `key`; the leader's key holds `candidate`. */
  election(key: string, candidate: string, opts: Omit<LockOptions, 'value'> = {}): LeaderElection {
    return new LeaderElection(this.lock(key, { ...opts, value: candidate }));
  }

  /** Stops watching and renewing; registrations are left to expire unless stopped first. */
  close(): void {
    for (const r of this.registrations) r.detach();
    this.registrations.clear();
    for (const c of this.caches.values()) c.close();
    this.caches.clear();
    this.mux.close();
    this.keeper.close();
    this.endpoints.close();
  }
}
