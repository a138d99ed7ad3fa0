import type { Rng } from '../util/rng.js';
import type { MemberMeta, MemberRecord, MemberState } from './messages.js';
import type { Suspicion } from './suspicion.js';

export interface Member {
  readonly name: string;
  addr: string;
  incarnation: number;
  state: MemberState;
  meta: MemberMeta;
  /** When the state last changed (for gossip to the dead, and reaping). */
  stateChangedAt: number;
  suspicion: Suspicion | undefined;
}

/** A read-only view for callers. */
export type MemberView = Readonly<Omit<Member, 'suspicion'>>;

/**
 * Every member this one knows, itself included, and the order it probes them in: a shuffled
 * round over the live ones, reshuffled at each end, so each member is probed once per round
 * (SWIM's bound on detection time) and nobody can predict the order.
 */
export class MemberTable {
  private readonly byName = new Map<string, Member>();
  private probeOrder: string[] = [];
  private probeNext = 0;

  constructor(
    readonly self: string,
    private readonly rng: Rng,
  ) {}

  get(name: string): Member | undefined {
    return this.byName.get(name);
  }

  add(m: Member): void {
    this.byName.set(m.name, m);
    // A newcomer joins the current round at a random place rather than waiting for the next.
    if (m.name !== this.self) this.probeOrder.splice(this.probeNext + this.rng.int(this.probeOrder.length - this.probeNext + 1), 0, m.name);
  }

  remove(name: string): void {
    this.byName.delete(name);
  }

  all(): IterableIterator<Member> {
    return this.byName.values();
  }

  /** Members counted for the scaling formulas: everyone not dead or gone. */
  liveCount(): number {
    let n = 0;
    for (const m of this.byName.values()) if (m.state === 'alive' || m.state === 'suspect') n++;
    return n;
  }

  /** The next member to probe (alive or suspect, never itself), or undefined if there is none. */
  nextProbeTarget(): Member | undefined {
    for (let pass = 0; pass < 2; pass++) {
      while (this.probeNext < this.probeOrder.length) {
        const m = this.byName.get(this.probeOrder[this.probeNext++]!);
        if (m !== undefined && (m.state === 'alive' || m.state === 'suspect')) return m;
      }
      this.probeOrder = this.rng.shuffle([...this.byName.keys()].filter((n) => n !== this.self));
      this.probeNext = 0;
    }
    return undefined;
  }

  /** Up to `k` distinct random members passing `ok`, never itself. */
  random(k: number, ok: (m: Member) => boolean): Member[] {
    const pool = [...this.byName.values()].filter((m) => m.name !== this.self && ok(m));
    if (pool.length <= k) return pool;
    // A partial Fisher-Yates: only the first k places are drawn.
    for (let i = 0; i < k; i++) {
      const j = i + this.rng.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k);
  }

  records(): MemberRecord[] {
    return [...this.byName.values()].map((m) => ({ name: m.name, addr: m.addr, incarnation: m.incarnation, state: m.state, meta: m.meta }));
  }
}
