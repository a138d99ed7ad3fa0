import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import type { ProtoGrpcType } from '../gen/registry/registry.js';
import { registryProto } from '../proto/registry-proto.js';
import { RosterError } from '../util/errors.js';
import type { Endpoints } from './endpoints.js';
import type { NodeDefinition } from './registration.js';
import type { WatchMux } from './watch-mux.js';

export interface LockOptions {
  /** The value the key holds while this client holds the lock. */
  readonly value?: Uint8Array | string;
  /** The session's TTL: how long the lock survives this client going silent (default 10 s). */
  readonly sessionTtlMs?: number;
  /** After the holder's session ends, nobody takes the lock for this long (default 15 s, Consul's). */
  readonly lockDelayMs?: number;
  /** The session's behavior when it ends: release the lock (default) or delete the key. */
  readonly behavior?: 'release' | 'delete';
}

const registry = (): ProtoGrpcType['roster']['registry']['v1'] => registryProto().roster.registry.v1;

/**
 * A distributed lock in Consul's model: a session (renewed at a third of its TTL) holds the lock
 * on a key. acquire() waits, following the lock through a watch, until it is free and the lock
 * delay has passed. If the session is lost (this client was silent past its TTL, or the servers
 * ended it), 'lost' is emitted and `held` turns false: whatever the lock protected must stop.
 */
export class Lock extends EventEmitter {
  private session = '';
  private renewTimer: NodeJS.Timeout | undefined;
  held = false;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly mux: WatchMux,
    private readonly node: NodeDefinition,
    readonly key: Uint8Array,
    private readonly opts: LockOptions,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  get sessionId(): string {
    return this.session;
  }

  /** Waits until this client holds the lock (or `signal` aborts). */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.held) return;
    if (this.session === '') await this.createSession();
    const value = typeof this.opts.value === 'string' ? Buffer.from(this.opts.value) : Buffer.from(this.opts.value ?? new Uint8Array(0));
    for (;;) {
      if (signal?.aborted === true) throw new RosterError('ABORTED', 'lock acquisition aborted');
      const res = await this.endpoints.unary(registry().Locks, 'Acquire', { key: Buffer.from(this.key), value, session: this.session }, this.timeoutMs);
      if (res.acquired) {
        this.held = true;
        return;
      }
      await this.untilFree(signal);
    }
  }

  /** Releases the lock and ends the session. */
  async release(): Promise<void> {
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const session = this.session;
    this.session = '';
    if (session === '') return;
    if (this.held) await this.endpoints.unary(registry().Locks, 'Release', { key: Buffer.from(this.key), session }, this.timeoutMs);
    this.held = false;
    await this.endpoints.unary(registry().Sessions, 'Destroy', { id: session }, this.timeoutMs).catch(() => undefined);
  }

  private async createSession(): Promise<void> {
    // A session belongs to a node: make sure this client's node is in the catalog.
    await this.endpoints.unary(registry().Catalog, 'Register', { node: { name: this.node.name, address: this.node.address, datacenter: this.node.datacenter ?? '', meta: this.node.meta ?? {} }, skipNodeUpdate: true }, this.timeoutMs);
    const ttlMs = this.opts.sessionTtlMs ?? 10_000;
    const res = await this.endpoints.unary(
      registry().Sessions,
      'Create',
      { node: this.node.name, name: 'roster-lock', ttlMs, lockDelayMs: this.opts.lockDelayMs === 0 ? -1 : (this.opts.lockDelayMs ?? 0), behavior: this.opts.behavior === 'delete' ? 'DELETE' : 'RELEASE' },
      this.timeoutMs,
    );
    this.session = res.id;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, Math.floor(ttlMs / 3)));
  }

  private async renew(): Promise<void> {
    const session = this.session;
    if (session === '') return;
    try {
      await this.endpoints.unary(registry().Sessions, 'Renew', { id: session }, this.timeoutMs);
    } catch (err) {
      if ((err as { code?: number }).code !== grpc.status.NOT_FOUND || this.session !== session) return;
      // The session ended without us: the lock is no longer ours.
      if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
      this.renewTimer = undefined;
      this.session = '';
      const wasHeld = this.held;
      this.held = false;
      if (wasHeld) this.emit('lost');
    }
  }

  /** Resolves when the lock is seen free (or after a while: a lock delay ends without a change). */
  private untilFree(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        handle.cancel();
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, 1000);
      signal?.addEventListener('abort', finish);
      const freeIn = (changes: readonly { item?: { lock?: { session: string } | null } | null }[]): void => {
        if (changes.some((c) => c.item?.lock?.session === '')) finish();
      };
      const handle = this.mux.watch(
        { lock: { key: this.key } },
        {
          snapshot: (_r, changes) => (changes.length === 0 ? finish() : freeIn(changes)),
          changes: (_r, changes) => freeIn(changes),
          progress: () => undefined,
          disconnected: () => undefined,
          failed: finish,
        },
      );
    });
  }
}

/**
 * Leader election on a lock: campaign() returns once this candidate leads; 'lost' says it no
 * longer does (its session ended). The key's value names the current leader for everyone.
 */
export class LeaderElection extends EventEmitter {
  private readonly lock: Lock;

  constructor(lock: Lock) {
    super();
    this.lock = lock;
    lock.on('lost', () => this.emit('lost'));
  }

  get isLeader(): boolean {
    return this.lock.held;
  }

  campaign(signal?: AbortSignal): Promise<void> {
    return this.lock.acquire(signal);
  }

  resign(): Promise<void> {
    return this.lock.release();
  }
}
