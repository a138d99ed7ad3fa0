import { RosterError } from '../util/errors.js';

interface Tracked {
  ttlMs: number;
  deadline: number;
  /** Its expiry was proposed; not due again unless the proposal fails (retry()). */
  expiring: boolean;
}

type Change<K> = { readonly kind: 'track'; readonly key: K; readonly ttlMs: number } | { readonly kind: 'forget'; readonly key: K };

/**
 * Deadlines that only the leader keeps: when leases, TTL checks and session TTLs run out. They are
 * not replicated state (a renewal would otherwise be a log write); only their consequence is, as
 * an ordinary entry the leader proposes when one is due.
 *
 * A leader change must never make something expire early. The new leader starts every deadline
 * afresh at promotion time, at its full TTL plus `extendMs` (at least an election timeout, the
 * longest the cluster can have been without a leader to renew with), and only once it has
 * applied everything the old leader committed (`promote`'s loader runs a read barrier first), so
 * it knows every item that exists. Until then renewals wait (whenReady) rather than fail.
 *
 * Time comes from the injected clock (monotonic milliseconds); the caller owns the timer that
 * asks what is due.
 */
export class LeaderDeadlines<K> {
  private readonly items = new Map<K, Tracked>();
  private state: 'follower' | 'loading' | 'ready' = 'follower';
  /** Changes applied while the loader ran: replayed over its result, in order. */
  private changesDuringLoad: Change<K>[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Bumped by every promote and demote: a loader of an older term is ignored. */
  private epoch = 0;

  constructor(
    private readonly now: () => number,
    private readonly extendMs: number,
  ) {}

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get size(): number {
    return this.items.size;
  }

  /**
   * This server became leader: `load` returns every item with its TTL once the state is
   * complete. A failed load is retried by calling promote again (the caller's timer does).
   */
  promote(load: () => Promise<Iterable<readonly [K, number]>>): Promise<void> {
    const epoch = ++this.epoch;
    this.state = 'loading';
    this.items.clear();
    this.changesDuringLoad = [];
    return load().then(
      (loaded) => {
        if (epoch !== this.epoch) return;
        const start = this.now() + this.extendMs;
        for (const [key, ttlMs] of loaded) this.items.set(key, { ttlMs, deadline: start + ttlMs, expiring: false });
        for (const c of this.changesDuringLoad) this.replay(c, start);
        this.changesDuringLoad = [];
        this.state = 'ready';
        for (const w of this.waiters.splice(0)) w.resolve();
      },
      (err: unknown) => {
        if (epoch !== this.epoch) return;
        this.state = 'follower';
        throw err;
      },
    );
  }

  /** This server is no longer leader: it forgets every deadline. */
  demote(): void {
    this.epoch++;
    this.state = 'follower';
    this.items.clear();
    this.changesDuringLoad = [];
    const err = new RosterError('NOT_LEADER', 'etcdserver: not leader');
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  /** Resolves once this leader knows every item; rejects if it stops leading or after timeoutMs. */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    if (this.state === 'follower') return Promise.reject(new RosterError('NOT_LEADER', 'etcdserver: not leader'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new RosterError('UNAVAILABLE', 'etcdserver: the new leader is still catching up; retry'));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** An item was created (or its TTL changed) by an applied entry: due after its full TTL. */
  track(key: K, ttlMs: number): void {
    if (this.state === 'loading') this.changesDuringLoad.push({ kind: 'track', key, ttlMs });
    else if (this.state === 'ready') this.items.set(key, { ttlMs, deadline: this.now() + ttlMs, expiring: false });
  }

  /** An item was removed by an applied entry. */
  forget(key: K): void {
    if (this.state === 'loading') this.changesDuringLoad.push({ kind: 'forget', key });
    else this.items.delete(key);
  }

  /**
   * Restarts the item's TTL. False when this leader does not know it, or its expiry is already
   * on its way through the log (as etcd: a lease that expired cannot be kept alive).
   */
  renew(key: K): boolean {
    const t = this.items.get(key);
    if (t === undefined || t.expiring || this.state !== 'ready') return false;
    t.deadline = this.now() + t.ttlMs;
    return true;
  }

  /** Every tracked key. */
  keys(): K[] {
    return [...this.items.keys()];
  }

  /** Whether this leader tracks the item. */
  has(key: K): boolean {
    return this.items.has(key);
  }

  /** The item's TTL in milliseconds, undefined when unknown here. */
  ttlMs(key: K): number | undefined {
    return this.items.get(key)?.ttlMs;
  }

  /** Milliseconds until the item is due (0 when overdue); undefined when unknown here. */
  remainingMs(key: K): number | undefined {
    const t = this.items.get(key);
    return t === undefined ? undefined : Math.max(0, t.deadline - this.now());
  }

  /**
   * Up to `limit` items past their deadline, marked as expiring: the caller proposes their
   * expiry and calls retry() for any proposal that fails.
   */
  due(limit: number): K[] {
    if (this.state !== 'ready') return [];
    const now = this.now();
    const out: K[] = [];
    for (const [key, t] of this.items) {
      if (out.length >= limit) break;
      if (!t.expiring && t.deadline <= now) {
        t.expiring = true;
        out.push(key);
      }
    }
    return out;
  }

  /** The expiry proposal for `key` failed: it is due again at the next check. */
  retry(key: K): void {
    const t = this.items.get(key);
    if (t !== undefined) t.expiring = false;
  }

  private replay(c: Change<K>, start: number): void {
    if (c.kind === 'forget') this.items.delete(c.key);
    else this.items.set(c.key, { ttlMs: c.ttlMs, deadline: start + c.ttlMs, expiring: false });
  }
}
