import * as grpc from '@grpc/grpc-js';
import { RosterError } from '../util/errors.js';
import { isHostPort } from '../util/host-port.js';
import { Backoff } from '../util/backoff.js';
import { idempotencyOf, mayRetry, refusedByServer } from './retry-policy.js';

/** The pause between rounds of a call every server refused: an election takes a few hundred ms. */
const ROUND_BACKOFF = { initialMs: 25, maxMs: 400 } as const;

type ClientCtor = grpc.ServiceClientConstructor;

/**
 * The servers (or agents) a client may talk to, and its gRPC channels to them. One of them is
 * current; a failure moves to the next, and a leader hint from a server moves straight there.
 * Channels are created lazily and shared by every service on the same address.
 */
export class Endpoints {
  private current = 0;
  private readonly clients = new Map<string, grpc.Client>();
  private closed = false;

  private list: readonly string[];

  constructor(addresses: readonly string[]) {
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
    for (const [key, c] of this.clients) {
      if (this.list.includes(key.slice(key.indexOf('@') + 1))) continue;
      c.close();
      this.clients.delete(key);
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

  client(ctor: ClientCtor, address = this.currentAddress): grpc.Client {
    if (this.closed) throw new RosterError('CLOSED', 'the client is closed');
    const key = `${ctor.serviceName}@${address}`;
    let c = this.clients.get(key);
    if (c === undefined) {
      c = new ctor(address, grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000 });
      this.clients.set(key, c);
    }
    return c;
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients.values()) c.close();
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
  async unary<T>(ctor: ClientCtor, method: string, req: unknown, timeoutMs: number): Promise<T> {
    const idempotency = idempotencyOf(ctor.service[method]);
    const until = Date.now() + timeoutMs;
    const pause = new Backoff({ initialMs: ROUND_BACKOFF.initialMs, maxMs: ROUND_BACKOFF.maxMs, jitter: Math.random });
    let roundRefused = true;
    for (let attempt = 1; ; attempt++) {
      const c = this.client(ctor) as unknown as Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: T) => void) => void>;
      const firstRound = attempt <= this.addresses.length;
      try {
        return await new Promise<T>((resolve, reject) => {
          c[method]!.call(c, req, new grpc.Metadata(), { deadline: firstRound ? Date.now() + timeoutMs : until }, (err, res) => (err ? reject(err) : resolve(res)));
        });
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
