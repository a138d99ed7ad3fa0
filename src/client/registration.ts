import { loadChanged, loadMeta, type LoadFigures, type LoadMeter } from './load-meter.js';
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { etcdProto } from '../proto/etcd-proto.js';
import { registryProto } from '../proto/registry-proto.js';
import type { Endpoints } from './endpoints.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { Backoff } from '../util/backoff.js';

export interface ServiceDefinition {
  readonly name: string;
  /** Unique on the node; defaults to the name. */
  readonly id?: string;
  readonly port: number;
  /** Defaults to the node's address. */
  readonly address?: string;
  readonly tags?: readonly string[];
  readonly meta?: Readonly<Record<string, string>>;
  readonly weights?: { readonly passing: number; readonly warning: number };
}

export interface NodeDefinition {
  readonly name: string;
  readonly address: string;
  readonly datacenter?: string;
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * How a registration stays alive: a TTL check the SDK renews (Consul's way), or an etcd lease
 * it keeps alive (etcd's way). Either way, if the servers lose the registration (a lease expired
 * during a partition, a TTL check deregistered after a long outage), it registers again.
 */
export type Lifetime = { readonly ttlMs: number; readonly deregisterCriticalAfterMs?: number } | { readonly leaseTtlSeconds: number };

/**
 * A service instance registered by this client, kept registered until stop(). Emits
 * 'registered' (revision) each time it (re-)registers, 'reregistered' (why) after the servers lost
 * it, and 'failure' (error) for failures it will retry.
 */
export class Registration extends EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private lease = '0';
  private stopped = false;
  private registering: Promise<void> | undefined;
  /** The load figures it reports (reportLoad), as service meta merged into each registration. */
  private load: Record<string, string> = {};
  private loadTimer: NodeJS.Timeout | undefined;
  /** A load report in flight: stop() waits for it, so it cannot register the instance again after. */
  private reporting: Promise<unknown> | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly keeper: LeaseKeeper,
    readonly node: NodeDefinition,
    readonly service: ServiceDefinition,
    private readonly lifetime: Lifetime,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  get id(): string {
    return this.service.id ?? this.service.name;
  }

  /** The TTL check this registration renews (TTL lifetime). */
  get checkId(): string {
    return `service:${this.id}`;
  }

  /** Registers, then keeps the registration alive. Resolves once registered. */
  async start(): Promise<void> {
    await this.register();
    if ('ttlMs' in this.lifetime) {
      const every = Math.max(100, Math.floor(this.lifetime.ttlMs / 3));
      this.timer = setInterval(() => void this.renewTtl(), every);
    }
  }

  /** Stops renewing without deregistering (the instance expires with its TTL or lease). */
  detach(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.loadTimer !== undefined) clearInterval(this.loadTimer);
    if (this.lease !== '0') this.keeper.remove(this.lease);
  }

  /** Stops renewing and removes the instance from the catalog. */
  async stop(): Promise<void> {
    this.detach();
    this.emit('stopped');
    await this.reporting;
    await this.endpoints.unary(registryProto().roster.registry.v1.Catalog, 'Deregister', { node: this.node.name, serviceId: this.id }, this.timeoutMs);
    if (this.lease !== '0') {
      await this.endpoints.unary(etcdProto().etcdserverpb.Lease, 'LeaseRevoke', { ID: this.lease }, this.timeoutMs).catch(() => undefined);
    }
  }

  /** One registration at a time; concurrent callers share it. */
  private register(): Promise<void> {
    this.registering ??= this.registerOnce().finally(() => {
      this.registering = undefined;
    });
    return this.registering;
  }

  private async registerOnce(): Promise<void> {
    let lease = '0';
    if ('leaseTtlSeconds' in this.lifetime) {
      const g = await this.endpoints.unary(etcdProto().etcdserverpb.Lease, 'LeaseGrant', { TTL: this.lifetime.leaseTtlSeconds, ID: 0 }, this.timeoutMs);
      lease = g.ID;
    }
    const res = await this.send(lease);
    if (lease !== '0') {
      this.lease = lease;
      this.keeper.add(lease, Number((this.lifetime as { leaseTtlSeconds: number }).leaseTtlSeconds), () => void this.reregister('the lease was lost'));
    }
    this.emit('registered', Number(res.revision));
  }

  /** The catalog registration, with the load figures reported so far in its meta. */
  private send(lease: string): Promise<{ revision: string | number }> {
    const s = this.service;
    return this.endpoints.unary(
      registryProto().roster.registry.v1.Catalog,
      'Register',
      {
        node: { name: this.node.name, address: this.node.address, datacenter: this.node.datacenter ?? '', meta: this.node.meta ?? {} },
        service: { name: s.name, id: this.id, port: s.port, address: s.address ?? '', tags: [...(s.tags ?? [])], meta: { ...(s.meta ?? {}), ...this.load }, weights: s.weights ?? { passing: 1, warning: 1 } },
        lease,
        ...('ttlMs' in this.lifetime ? { serviceTtlMs: this.lifetime.ttlMs, serviceDeregisterCriticalAfterMs: this.lifetime.deregisterCriticalAfterMs ?? 0 } : {}),
      },
      this.timeoutMs,
    );
  }

  /**
   * Reports this instance's load (the `meter`'s figures) in its service meta, for the
   * least-loaded selector of its callers: now, then at most once every `everyMs` (default 5 s)
   * and only when a figure moved by more than `share` (default 20%), or every `heartbeats`
   * intervals (default 6) so callers know the figures are current. Each report is one Raft
   * write: the bounds keep a fleet of instances from flooding it.
   */
  reportLoad(meter: LoadMeter, o: { everyMs?: number; share?: number; heartbeats?: number } = {}): void {
    const everyMs = Math.max(1000, o.everyMs ?? 5000);
    const share = o.share ?? 0.2;
    const heartbeats = o.heartbeats ?? 6;
    if (this.loadTimer !== undefined) clearInterval(this.loadTimer);
    let last: LoadFigures | undefined;
    let quiet = 0;
    const tick = (): void => {
      if (this.stopped || this.registering !== undefined || this.reporting !== undefined) return; // one write at a time: the next tick
      const now = meter.figures();
      if (last !== undefined && !loadChanged(last, now, share) && ++quiet < heartbeats) return;
      last = now;
      quiet = 0;
      this.load = loadMeta(now, Date.now());
      this.reporting = this.send(this.lease)
        .then(
          () => this.emit('load-reported', now),
          (err: unknown) => this.emit('failure', err),
        )
        .finally(() => (this.reporting = undefined));
    };
    // The first report once registered (start() resolved): never without the registration's lease.
    setImmediate(tick);
    this.loadTimer = setInterval(tick, everyMs);
    this.loadTimer.unref();
  }

  private async renewTtl(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.endpoints.unary(registryProto().roster.registry.v1.Health, 'UpdateTtl', { node: this.node.name, checkId: this.checkId, status: 'PASSING' }, this.timeoutMs);
    } catch (err) {
      if ((err as { code?: number }).code === grpc.status.NOT_FOUND) await this.reregister('the servers lost the registration');
      else this.emit('failure', err);
    }
  }

  /** Registers again, retrying with backoff until it works or the registration is stopped. */
  private async reregister(why: string): Promise<void> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000, jitter: Math.random });
    while (!this.stopped) {
      try {
        await this.register();
        this.emit('reregistered', why);
        return;
      } catch (err) {
        this.emit('failure', err);
        await new Promise((r) => setTimeout(r, backoff.next()));
      }
    }
  }
}
