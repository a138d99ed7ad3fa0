import * as grpc from '@grpc/grpc-js';
import { RosterError } from '../util/errors.js';
import { isHostPort } from '../util/host-port.js';
import type { MethodName, ReplyOf, RequestOf, ServiceClientCtor } from '../proto/grpc-service.js';
import { Backoff } from '../util/backoff.js';
import { idempotencyOf, mayRetry, refusedByServer } from './retry-policy.js';
import { unaryCall } from './unary-call.js';
import { PLAINTEXT, type Dialer } from './dialer.js';

/** The pause between rounds of a call every server refused: an election takes a few hundred ms. */
const ROUND_BACKOFF = { initialMs: 25, maxMs: 400 } as const;

/**
 * The servers (or agents) a client may talk to, and its gRPC channels to them. One of them is
 * current; a failure moves to the next, and a leader hint from a server moves straight there.
 * Channels are created lazily and shared by every service on the same address.
 */
export class Endpoints {
  private current = 0;
  /** By address, then by the service's constructor (each package is loaded once). */
  private readonly clients = new Map<string, Map<ServiceClientCtor, grpc.Client>>();
  private closed = false;

  private list: readonly string[];

  constructor(
    addresses: readonly string[],
    /** Plain gRPC, or TLS (tlsDialer). */
    private readonly dial: Dialer = PLAINTEXT,
  ) {
    Endpoints.check(addresses);
    this.list = [...addresses];
  }

  private static check(addresses: readonly string[]): void {
    if (addresses.length === 0) throw new RosterError('INVALID_ARGUMENT', 'at least one endpoint (host:port) is needed');
    for (const a of addresses) if (!isHostPort(a)) throw new RosterError('INVALID_ARGUMENT', `endpoint must be host:port, got ${JSON.stringify(a)}`);
  }

  get addresses(): readonly string[] {
    return this.list;
  }

  /**
   * Replaces the servers (an agent following gossip as servers come and go): the current one
   * stays current if it is still listed; channels to servers no longer listed are closed.
   */
  setAddresses(addresses: readonly string[]): void {
    Endpoints.check(addresses);
    if (addresses.length === this.list.length && addresses.every((a) => this.list.includes(a))) return;
    const current = this.currentAddress;
    this.list = [...addresses];
    this.current = Math.max(0, this.list.indexOf(current));
    for (const [address, byService] of this.clients) {
      if (this.list.includes(address)) continue;
      for (const c of byService.values()) c.close();
      this.clients.delete(address);
    }
  }

  get size(): number {
    return this.addresses.length;
  }

  get currentAddress(): string {
    return this.addresses[this.current]!;
  }

  /** Moves to the next server (after a failure). */
  rotate(): void {
    this.current = (this.current + 1) % this.addresses.length;
  }

  /** Prefers `address` if it is one of ours (a leader hint). */
  prefer(address: string): void {
    const i = this.addresses.indexOf(address);
    if (i >= 0) this.current = i;
  }

  /** The client of `ctor`'s service at `address` (the current server by default), typed as src/gen made it. */
  client<C extends grpc.Client>(ctor: ServiceClientCtor<C>, address = this.currentAddress): C {
    if (this.closed) throw new RosterError('CLOSED', 'the client is closed');
    let byService = this.clients.get(address);
    if (byService === undefined) this.clients.set(address, (byService = new Map<ServiceClientCtor, grpc.Client>()));
    const known = byService.get(ctor);
    // Only `ctor` made what is filed under it.
    if (known !== undefined) return known as C;
    const d = this.dial(address);
    const c = new ctor(address, d.credentials, { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000, ...d.options });
    byService.set(ctor, c);
    return c;
  }

  close(): void {
    this.closed = true;
    for (const byService of this.clients.values()) for (const c of byService.values()) c.close();
    this.clients.clear();
  }

  /**
   * Calls a unary method on the current server; on a failure another server may not share
   * (unavailable, no leader, timeout) it moves on, as far as the retry policy allows: a write
   * whose outcome is unknown is not sent again. The first round tries each server once, each
   * with the whole timeout; when every server answered with a refusal (an election leaves them
   * all without a leader for a moment), further rounds follow after a short back-off, within the
   * timeout. Servers that cannot be reached fail the call after one round, as before.
   */
  async unary<D extends grpc.ServiceDefinition, M extends MethodName<D>>(ctor: ServiceClientCtor<grpc.Client, D>, method: M, req: RequestOf<D[M]>, timeoutMs: number, metadata?: grpc.Metadata): Promise<ReplyOf<D[M]>> {
    const def = ctor.service[method];
    const idempotency = idempotencyOf(def);
    const until = Date.now() + timeoutMs;
    const pause = new Backoff({ initialMs: ROUND_BACKOFF.initialMs, maxMs: ROUND_BACKOFF.maxMs, jitter: Math.random });
    let roundRefused = true;
    for (let attempt = 1; ; attempt++) {
      const c = this.client(ctor);
      const firstRound = attempt <= this.addresses.length;
      try {
        return await unaryCall(c, def, req, metadata?.clone() ?? new grpc.Metadata(), { deadline: firstRound ? Date.now() + timeoutMs : until });
      } catch (err) {
        if (!mayRetry(idempotency, err)) throw err;
        roundRefused &&= refusedByServer(err);
        const hint = (err as grpc.ServiceError).metadata?.get('roster-leader-addr')[0];
        if (typeof hint === 'string' && hint !== '' && hint !== this.currentAddress) this.prefer(hint);
        else this.rotate();
        if (attempt % this.addresses.length === 0) {
          const wait = pause.next();
          if (!roundRefused || this.closed || Date.now() + wait >= until) throw err;
          await new Promise((r) => setTimeout(r, wait));
          roundRefused = true;
        }
      }
    }
  }
}
