import type { MemberView } from '../gossip/member-table.js';
import type { Clock } from '../util/clock.js';

export interface SelfPreservationConfig {
  /** More than this share of the pool failing within the window is a network fault, not deaths. */
  readonly share: number;
  /** Smaller pools never enter it: one failure of four is a quarter. */
  readonly minPool: number;
  readonly windowMs: number;
  /**
   * How long the sessions of a member gossip declared failed live on: the first failures of a
   * partition arrive before the share is crossed, and must not end their sessions before it is.
   * Its member check turns critical at once all the same (its services leave healthy answers).
   */
  readonly holdMs: number;
}

/**
 * Eureka's self-preservation, in Consul's terms: over 25% of a pool of 10 or more within 60 s.
 * A failed member's sessions end 5 s after its failure: a third of Consul's default lock delay,
 * which a lock's next holder waits anyway.
 */
export const SELF_PRESERVATION_DEFAULTS: SelfPreservationConfig = { share: 0.25, minPool: 10, windowMs: 60_000, holdMs: 5000 };

export interface SelfPreservationState {
  readonly active: boolean;
  /** Members gossip has failed now, and the pool they belong to (members that left are not in it). */
  readonly failed: number;
  readonly pool: number;
}

/**
 * Tells a network fault from a mass death. Members fail one at a time in ordinary life; when more
 * than `share` of the pool fails within `windowMs`, the likelier story is that this side of the
 * network lost the others, and deregistering their services and ending their sessions would
 * empty the registry of instances that still serve (Eureka's self-preservation, Captain's
 * read-only mode). Active until the share of failed members is back at or below `share`; a
 * failure that comes slowly never starts it. Pure: the clock is injected, the caller feeds the
 * pool's view after each change.
 */
export class SelfPreservation {
  /** When each currently failed member failed, as this server saw it. */
  private readonly failedAt = new Map<string, number>();
  private activeNow = false;
  private last: SelfPreservationState = { active: false, failed: 0, pool: 0 };

  constructor(
    private readonly cfg: SelfPreservationConfig,
    private readonly clock: Clock,
  ) {}

  get active(): boolean {
    return this.activeNow;
  }

  get state(): SelfPreservationState {
    return this.last;
  }

  /** The pool as gossip shows it now; returns the new state when `active` changed. */
  observe(members: readonly MemberView[]): SelfPreservationState | undefined {
    const now = this.clock.now();
    const pool = members.filter((m) => m.state !== 'left');
    const failedNow = new Set(pool.filter((m) => m.state === 'dead').map((m) => m.name));
    for (const name of [...this.failedAt.keys()]) if (!failedNow.has(name)) this.failedAt.delete(name);
    for (const name of failedNow) if (!this.failedAt.has(name)) this.failedAt.set(name, now);
    const limit = this.cfg.share * pool.length;
    const was = this.activeNow;
    if (!was) {
      let recent = 0;
      for (const at of this.failedAt.values()) if (now - at <= this.cfg.windowMs) recent++;
      this.activeNow = pool.length >= this.cfg.minPool && recent > limit;
    } else {
      this.activeNow = failedNow.size > limit;
    }
    this.last = { active: this.activeNow, failed: failedNow.size, pool: pool.length };
    return this.activeNow === was ? undefined : this.last;
  }
}
