import { RosterError } from '../util/errors.js';
import type { Instance } from './types.js';
import { loadOf } from './load-meter.js';

/**
 * How a caller picks one instance among the healthy ones (rpcx's selectors). Each is a small
 * stateful object: round-robin remembers where it was, consistent-hash keeps its ring.
 */
export interface Selector {
  pick(instances: readonly Instance[], key?: string): Instance | undefined;
}

export type SelectorName = 'random' | 'round-robin' | 'weighted' | 'consistent-hash' | 'least-loaded';

/** A source of numbers in [0, 1): Math.random by default, a seeded one in tests. */
export type Random = () => number;

export class RandomSelector implements Selector {
  constructor(private readonly random: Random = Math.random) {}
  pick(instances: readonly Instance[]): Instance | undefined {
    return instances.length === 0 ? undefined : instances[Math.floor(this.random() * instances.length)];
  }
}

export class RoundRobinSelector implements Selector {
  private next = 0;
  pick(instances: readonly Instance[]): Instance | undefined {
    if (instances.length === 0) return undefined;
    const i = this.next % instances.length;
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    return instances[i];
  }
}

/**
 * Weighted by Consul's weights: a passing instance counts its passing weight, a warning one its
 * warning weight (critical ones are not offered at all). Smooth weighted round-robin (nginx's),
 * so picks interleave instead of bunching.
 */
export class WeightedSelector implements Selector {
  private readonly current = new Map<string, number>();
  pick(instances: readonly Instance[]): Instance | undefined {
    let total = 0;
    let best: Instance | undefined;
    let bestScore = -Infinity;
    for (const inst of instances) {
      const w = inst.status === 'warning' ? inst.weights.warning : inst.weights.passing;
      if (w <= 0) continue;
      const score = (this.current.get(inst.key) ?? 0) + w;
      this.current.set(inst.key, score);
      total += w;
      if (score > bestScore) {
        bestScore = score;
        best = inst;
      }
    }
    if (best !== undefined) this.current.set(best.key, bestScore - total);
    return best;
  }
}

/** FNV-1a, 32 bits: a stable, well-spread hash for ring positions. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Consistent hashing with virtual nodes: the same key goes to the same instance while it is
 * there, and when instances come or go only the keys near them move.
 */
export class ConsistentHashSelector implements Selector {
  private ring: { point: number; inst: Instance }[] = [];
  private members = '';

  constructor(private readonly replicas = 64) {}

  pick(instances: readonly Instance[], key?: string): Instance | undefined {
    if (key === undefined) throw new RosterError('INVALID_ARGUMENT', 'the consistent-hash selector needs a key');
    if (instances.length === 0) return undefined;
    const members = instances.map((i) => i.key).join('\u0000');
    if (members !== this.members) this.build(instances, members);
    const h = fnv1a(key);
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[mid]!.point < h) lo = mid + 1;
      else hi = mid;
    }
    return this.ring[lo % this.ring.length]!.inst;
  }

  private build(instances: readonly Instance[], members: string): void {
    this.ring = [];
    for (const inst of instances) for (let r = 0; r < this.replicas; r++) this.ring.push({ point: fnv1a(`${inst.key}#${r}`), inst });
    this.ring.sort((a, b) => a.point - b.point);
    this.members = members;
  }
}

/**
 * Prefers the less loaded instances, by the figures they report in their meta
 * (Registration.reportLoad): of two instances drawn at random among those with current figures,
 * the one whose expected wait, (in-flight + 1) x p99, is lower (the power of two choices: no
 * herd on the single least loaded, whose figures lag). Figures older than `freshMs` (default
 * 75 s: two and a half of reportLoad's quiet heartbeats, with room for clock skew) are not
 * believed; an instance without current figures counts as the median of those with them (it is
 * neither shunned nor preferred); with fewer than two instances reporting, round-robin over all.
 */
export class LeastLoadedSelector implements Selector {
  private readonly fallback = new RoundRobinSelector();

  constructor(
    private readonly random: Random = Math.random,
    private readonly freshMs = 75_000,
    private readonly now: () => number = Date.now,
  ) {}

  pick(instances: readonly Instance[]): Instance | undefined {
    const since = this.now() - this.freshMs;
    const scored: { inst: Instance; score: number | undefined }[] = instances.map((inst) => {
      const load = loadOf(inst.meta);
      return { inst, score: load !== undefined && load.atUnixMs >= since ? (load.inflight + 1) * Math.max(load.p99Ms, 0.1) : undefined };
    });
    const known = scored.map((s) => s.score).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    if (known.length < 2) return this.fallback.pick(instances);
    const median = known[Math.floor(known.length / 2)]!;
    for (const s of scored) s.score ??= median;
    const a = Math.floor(this.random() * scored.length);
    const b = (a + 1 + Math.floor(this.random() * (scored.length - 1))) % scored.length;
    return (scored[a]!.score! <= scored[b]!.score! ? scored[a]! : scored[b]!).inst;
  }
}

export function selectorOf(name: SelectorName, random: Random = Math.random): Selector {
  switch (name) {
    case 'random':
      return new RandomSelector(random);
    case 'round-robin':
      return new RoundRobinSelector();
    case 'weighted':
      return new WeightedSelector();
    case 'consistent-hash':
      return new ConsistentHashSelector();
    case 'least-loaded':
      return new LeastLoadedSelector(random);
  }
}
