import type * as grpc from '@grpc/grpc-js';
import type { LeaseKeepAliveRequest } from '../gen/etcd/etcdserverpb/LeaseKeepAliveRequest.js';
import type { LeaseKeepAliveResponse__Output } from '../gen/etcd/etcdserverpb/LeaseKeepAliveResponse.js';
import { etcdProto } from '../proto/etcd-proto.js';
import type { Endpoints } from './endpoints.js';
import { monotonicClock } from '../time/monotonic-clock.js';

type KeepAliveStream = grpc.ClientDuplexStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse__Output>;

interface Kept {
  readonly ttlMs: number;
  nextDue: number;
  lastAck: number;
  readonly lost: () => void;
}

/**
 * Keeps etcd leases alive from a client: one LeaseKeepAlive stream (to the current server) for
 * every lease, each renewed at a third of its TTL. A lease the servers answer with TTL 0, or that
 * has gone a whole TTL without an answer, is reported lost, so its owner can grant a new one and
 * register again.
 */
export class LeaseKeeper {
  private readonly leases = new Map<string, Kept>();
  private call: KeepAliveStream | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    // Monotonic: a wall clock stepped back would otherwise stop renewals for the size of the step.
    private readonly now: () => number = () => monotonicClock.now(),
  ) {}

  get size(): number {
    return this.leases.size;
  }

  /** Keeps lease `id` (decimal) alive; `lost` is called once if it cannot be. */
  add(id: string, ttlSeconds: number, lost: () => void): void {
    const now = this.now();
    const ttlMs = ttlSeconds * 1000;
    this.leases.set(id, { ttlMs, nextDue: now + ttlMs / 3, lastAck: now, lost });
    this.timer ??= setInterval(() => this.tick(), 250);
  }

  remove(id: string): void {
    this.leases.delete(id);
    if (this.leases.size === 0) this.stop();
  }

  close(): void {
    this.leases.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.call?.cancel();
    this.call = undefined;
  }

  private stream(): KeepAliveStream {
    if (this.call !== undefined) return this.call;
    const call = this.endpoints.client(etcdProto().etcdserverpb.Lease).LeaseKeepAlive();
    call.on('data', (r: LeaseKeepAliveResponse__Output) => {
      const k = this.leases.get(r.ID);
      if (k === undefined) return;
      if (Number(r.TTL) <= 0) this.lose(r.ID, k);
      else k.lastAck = this.now();
    });
    const broken = (): void => {
      if (this.call !== call) return;
      this.call = undefined;
      this.endpoints.rotate(); // the next tick opens a stream to another server
    };
    call.on('error', broken);
    call.on('end', broken);
    this.call = call;
    return call;
  }

  private tick(): void {
    const now = this.now();
    let call: KeepAliveStream | undefined;
    for (const [id, k] of this.leases) {
      if (now - k.lastAck > k.ttlMs) {
        this.lose(id, k);
        continue;
      }
      if (k.nextDue > now) continue;
      k.nextDue = now + k.ttlMs / 3;
      call ??= this.stream();
      call.write({ ID: id });
    }
  }

  private lose(id: string, k: Kept): void {
    this.leases.delete(id);
    k.lost();
  }
}
