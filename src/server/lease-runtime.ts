import type { KvCommand, KvCommandResponse } from '../store/kv/command.js';
import type { StateCommand, StateResponse } from '../store/state-command.js';
import type { LeaseRecord } from '../store/kv/lease-layout.js';
import { isRosterError, RosterError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { LeaderDeadlines } from './leader-deadlines.js';
import { deadlineIn, remainingMs, type Deadline } from '../time/deadline.js';

/** The internal method a follower uses to renew a batch of leases on the leader. */
export const KEEPALIVE_METHOD = '/roster.internal/LeaseKeepAlive';

export interface LeaseRuntimeDeps {
  readonly now: () => number;
  /** How far past their TTL a new leader starts every lease (at least an election timeout). */
  readonly extendMs: number;
  /** How often the leader looks for expired leases. */
  readonly checkEveryMs: number;
  /** Most revokes the leader proposes per check (etcd limits expiry to 1,000 a second). */
  readonly revokesPerCheck: number;
  readonly isLeader: () => boolean;
  /** Waits until this leader has applied everything committed before it (a read barrier). */
  readonly caughtUp: (deadline: Deadline) => Promise<void>;
  /** Waits until this server has applied everything it knows is committed (no leader round). */
  readonly appliedCommitted: (deadline: Deadline) => Promise<void>;
  readonly leases: () => Promise<LeaseRecord[]>;
  readonly propose: (cmd: KvCommand, deadline: Deadline) => Promise<KvCommandResponse | undefined>;
  readonly forwardToLeader: (method: string, payload: Uint8Array, deadline: Deadline) => Promise<Uint8Array>;
  readonly logger: Logger;
}

/** Most leases in one forwarded renewal batch. */
const MAX_BATCH = 4096;

/**
 * Lease lifetimes on a server: the leader keeps every lease's deadline (LeaderDeadlines) and
 * revokes expired ones through the log; keep-alives that reach a follower are batched, one
 * forwarded call per event-loop turn however many streams sent them, so 50,000 leases renewed
 * through followers cost a few calls a second rather than one per lease.
 */
export class LeaseRuntime {
  readonly deadlines: LeaderDeadlines<bigint>;
  private timer: NodeJS.Timeout | undefined;
  private batch: { id: bigint; resolve: (ttl: number) => void; reject: (e: Error) => void }[] = [];

  constructor(private readonly d: LeaseRuntimeDeps) {
    this.deadlines = new LeaderDeadlines<bigint>(d.now, d.extendMs);
  }

  start(): void {
    this.timer = setInterval(() => this.expire(), this.d.checkEveryMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.deadlines.demote();
    const err = new RosterError('UNAVAILABLE', 'etcdserver: server stopped');
    for (const b of this.batch.splice(0)) b.reject(err);
  }

  /** The Raft role changed: a new leader loads every lease once it has caught up. */
  roleChanged(leader: boolean): void {
    if (!leader) {
      this.deadlines.demote();
      return;
    }
    if (this.deadlines.isReady) return;
    const load = async (): Promise<[bigint, number][]> => {
      await this.d.caughtUp(deadlineIn(10_000));
      return (await this.d.leases()).map((l) => [l.id, l.ttl * 1000]);
    };
    this.deadlines.promote(load).then(
      () => this.d.logger.info('leases loaded by the new leader', { leases: this.deadlines.size }),
      (err: unknown) => {
        this.d.logger.warn('loading leases failed; retrying', { error: String(err) });
        setTimeout(() => {
          if (this.d.isLeader()) this.roleChanged(true);
        }, 200);
      },
    );
  }

  /** An entry applied on this server: grants and revokes start and end deadlines. */
  applied(cmd: StateCommand, res: StateResponse | undefined): void {
    if (cmd.type === 'leaseGrant' && res?.type === 'leaseGrant') this.deadlines.track(cmd.request.id, cmd.request.ttl * 1000);
    else if (cmd.type === 'leaseRevoke') this.deadlines.forget(cmd.request.id);
  }

  /**
   * Renews leases; resolves with each one's granted TTL in seconds, 0 for a lease that does not
   * exist or has expired (etcd answers a keep-alive of an unknown lease with TTL 0).
   */
  async renew(ids: readonly bigint[], deadline: Deadline): Promise<number[]> {
    if (this.d.isLeader()) {
      await this.deadlines.whenReady(remainingMs(deadline));
      const ttls = ids.map((id) => (this.deadlines.renew(id) ? this.ttlSeconds(id) : 0));
      if (ttls.every((t) => t > 0)) return ttls;
      // A lease granted through a follower may be committed here and not yet applied: the
      // follower answered the grant once it applied it, possibly before this leader did.
      await this.d.appliedCommitted(deadline);
      return ids.map((id, i) => (ttls[i]! > 0 ? ttls[i]! : this.deadlines.renew(id) ? this.ttlSeconds(id) : 0));
    }
    return Promise.all(ids.map((id) => this.viaLeader(id)));
  }

  /** Remaining milliseconds of a lease (leader only); undefined when it does not exist. */
  async remainingMs(id: bigint, deadline: Deadline): Promise<number | undefined> {
    await this.deadlines.whenReady(remainingMs(deadline));
    return this.deadlines.remainingMs(id);
  }

  /** A follower's batch arriving at the leader. */
  async onForwarded(payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const ids = decodeIds(payload);
    return encodeIds((await this.renew(ids, deadline ?? deadlineIn(5000))).map(BigInt));
  }

  private ttlSeconds(id: bigint): number {
    const ms = this.deadlines.ttlMs(id);
    return ms === undefined ? 0 : Math.round(ms / 1000);
  }

  private viaLeader(id: bigint): Promise<number> {
    return new Promise((resolve, reject) => {
      this.batch.push({ id, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    while (this.batch.length > 0) {
      const part = this.batch.splice(0, MAX_BATCH);
      this.d.forwardToLeader(KEEPALIVE_METHOD, encodeIds(part.map((p) => p.id)), deadlineIn(5000)).then(
        (answer) => {
          const ttls = decodeIds(answer);
          part.forEach((p, i) => p.resolve(Number(ttls[i] ?? 0n)));
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          for (const p of part) p.reject(e);
        },
      );
    }
  }

  /** The leader's periodic check: every lease past its deadline is revoked through the log. */
  private expire(): void {
    if (!this.d.isLeader()) return;
    for (const id of this.deadlines.due(this.d.revokesPerCheck)) {
      this.d.propose({ type: 'leaseRevoke', request: { id } }, deadlineIn(5000)).then(
        () => this.d.logger.debug('lease expired', { lease: id.toString() }),
        (err: unknown) => {
          if (isRosterError(err, 'LEASE_NOT_FOUND')) this.deadlines.forget(id);
          else this.deadlines.retry(id);
        },
      );
    }
  }
}

/** Lease ids (or TTLs) as 8-byte big-endian int64s. */
export function encodeIds(ids: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(ids.length * 8);
  const view = new DataView(out.buffer);
  ids.forEach((id, i) => view.setBigInt64(i * 8, id));
  return out;
}

export function decodeIds(bytes: Uint8Array): bigint[] {
  if (bytes.length % 8 !== 0) throw new RosterError('BAD_COMMAND', `lease id list of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < bytes.length; i += 8) out.push(view.getBigInt64(i));
  return out;
}
