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
 * Exponential back-off, the one kind Roster uses (anti-entropy, re-registration, watch
 * reconnects, Raft peer streams): `next()` gives the delay before the next attempt and doubles
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
