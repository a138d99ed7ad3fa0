import { Backoff } from '../util/backoff.js';
import type { Rng } from '../util/rng.js';

/** The first join retry comes this long after the first attempt; each retry doubles it, up to the most. */
const JOIN_RETRY_FIRST_MS = 1000;
const JOIN_RETRY_MAX_MS = 10_000;

/**
 * The seeds a member was told to join through (--join), and whether it has: Serf's retry-join.
 * A member asks every seed for a push-pull, and asks again with back-off (1 s doubling to 10 s)
 * until one exchange with a seed completes. Knowing other members is not enough: they may only
 * be members that joined us, in a pool none of our seeds is in, and two pools never otherwise
 * meet. Afterwards the seeds still serve to find a pool that formed apart (unmet()).
 */
export class SeedJoin {
  private seeds: readonly string[] = [];
  /** Which member answered at each seed address (its own address may be spelled differently). */
  private readonly answeredBy = new Map<string, string>();
  private reached: string | undefined;
  private readonly backoff = new Backoff({ initialMs: JOIN_RETRY_FIRST_MS, maxMs: JOIN_RETRY_MAX_MS });
  /** When the next round of requests is due (Infinity: none). */
  nextAt = Infinity;
  /** Rounds of requests sent: the first attempt and every retry. */
  rounds = 0;

  /** Starts joining through `seeds` (our own address left out); the first round is due at once. */
  start(seeds: readonly string[], selfAddr: string, now: number): void {
    this.seeds = [...new Set(seeds)].filter((addr) => addr !== selfAddr);
    this.reached = undefined;
    this.backoff.reset();
    this.nextAt = this.seeds.length > 0 ? now : Infinity;
  }

  get pending(): boolean {
    return this.seeds.length > 0 && this.reached === undefined && this.nextAt !== Infinity;
  }

  /** The seeds to ask in the round due now; the next round comes after the back-off. */
  round(now: number): readonly string[] {
    this.rounds++;
    this.nextAt = now + this.backoff.next();
    return this.seeds;
  }

  /** No more rounds (leaving). */
  stop(): void {
    this.nextAt = Infinity;
  }

  /**
   * A push-pull reply came from `addr` (the address the request went to: the transport answers
   * on the connection we opened, so it is that address exactly, not the peer's source port),
   * from the member `name`. Returns the seed when this completes the join.
   */
  answered(addr: string, name: string): string | undefined {
    if (!this.seeds.includes(addr)) return undefined;
    this.answeredBy.set(addr, name);
    if (!this.pending) return undefined;
    this.reached = addr;
    this.nextAt = Infinity;
    return addr;
  }

  /**
   * A seed that is not, as far as we know, a live member of our pool (neither its address nor
   * the name that answered there), picked at random; undefined when every seed is.
   */
  unmet(isLive: (addr: string, name: string | undefined) => boolean, rng: Rng): string | undefined {
    const unmet = this.seeds.filter((addr) => !isLive(addr, this.answeredBy.get(addr)));
    return unmet.length === 0 ? undefined : unmet[rng.int(unmet.length)];
  }
}
