import type { Message } from '../../src/raft/index.js';
import type { NodeId } from '../../src/util/ids.js';
import type { Rng } from '../../src/util/rng.js';
import type { Scenario } from './scenario.js';

const HEALED_MAX_DELAY_MS = 10;

export type Fate = { readonly kind: 'blocked' } | { readonly kind: 'lost' } | { readonly kind: 'delivered'; readonly delays: readonly number[] };

/**
 * The simulated network: per-message loss, duplication and random delay (which reorders
 * messages), occasional long delay spikes, and partitions as a set of blocked directed links,
 * so both symmetric and one-way partitions are expressible.
 */
export class SimNetwork {
  lossRate: number;
  duplicateRate: number;
  spikeRate: number;
  maxDelayMs: number;
  private readonly blocked = new Set<string>();

  constructor(
    private readonly scenario: Scenario,
    private readonly rng: Rng,
  ) {
    this.lossRate = scenario.lossRate;
    this.duplicateRate = scenario.duplicateRate;
    this.spikeRate = scenario.spikeRate;
    this.maxDelayMs = scenario.maxDelayMs;
  }

  fate(m: Message): Fate {
    if (this.blocked.has(linkKey(m.from, m.to))) return { kind: 'blocked' };
    if (this.rng.chance(this.lossRate)) return { kind: 'lost' };
    const delays = [this.delay()];
    if (this.rng.chance(this.duplicateRate)) delays.push(this.delay());
    return { kind: 'delivered', delays };
  }

  private delay(): number {
    const d = this.rng.between(this.scenario.minDelayMs, this.maxDelayMs);
    return this.rng.chance(this.spikeRate) ? d * 10 : d;
  }

  block(from: NodeId, to: NodeId): void {
    this.blocked.add(linkKey(from, to));
  }

  /** Cuts every link between the two groups, both ways. */
  split(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.block(x, y);
        this.block(y, x);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  /**
   * Ends every fault: partitions, loss, duplication, delay spikes, and slow links. Liveness is
   * only promised when a round trip is well below the election timeout (Raft's timing
   * requirement, §5.6), so a healed network has at most 10ms of delay.
   */
  calm(): void {
    this.heal();
    this.lossRate = 0;
    this.duplicateRate = 0;
    this.spikeRate = 0;
    this.maxDelayMs = Math.min(this.maxDelayMs, HEALED_MAX_DELAY_MS);
  }

  describe(): string {
    return this.blocked.size === 0 ? 'none' : [...this.blocked].sort().join(' ');
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}->${to}`;
}
