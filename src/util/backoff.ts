/** How one back-off grows: from `initialMs`, doubling up to `maxMs`. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /**
   * A random source in [0, 1): given, each delay is spread uniformly over [1/2, 3/2) of its
   * nominal value, so many clients that failed together do not come back together.
   */
  readonly jitter?: () => number;
}

/**
 * The nominal delay before retry number `attempt` (1 for the first retry): `initialMs` doubled
 * `attempt - 1` times, capped at `maxMs`. For callers that count failures themselves (the Raft
 * log's disk retries, the snapshot back-off); `Backoff` is the same sequence as an object.
 */
export function backoffDelayMs(attempt: number, o: Pick<BackoffOptions, 'initialMs' | 'maxMs'>): number {
  // The exponent is capped so that a long outage cannot make 2 ** n Infinity (or 0 * Infinity NaN).
  return Math.min(o.maxMs, o.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}

/**
 * Exponential back-off, the one kind Roster uses (anti-entropy, re-registration, watch
 * reconnects, Raft peer streams, snapshot preparation, gossip's retry-join): `next()` gives the delay before the next attempt and doubles
 * the one after, up to the cap; `reset()` after a success starts over.
 */
export class Backoff {
  private nominal: number;

  constructor(private readonly o: BackoffOptions) {
    this.nominal = o.initialMs;
  }

  /** The delay before the next attempt, in ms; the following one doubles (up to maxMs). */
  next(): number {
    const d = this.o.jitter === undefined ? this.nominal : Math.floor(this.nominal * (0.5 + this.o.jitter()));
    this.nominal = Math.min(this.nominal * 2, this.o.maxMs);
    return d;
  }

  reset(): void {
    this.nominal = this.o.initialMs;
  }
}
