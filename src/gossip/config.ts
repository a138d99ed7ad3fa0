import { suspicionTimeoutMs } from './scaling.js';

/**
 * Gossip timing, with memberlist's LAN profile as defaults: every value is in milliseconds or a
 * count, validated by resolveGossipConfig. The derived timeouts scale with the cluster's size
 * (see scaling.ts), so these are per-probe figures, not end-to-end detection times.
 */
export interface GossipConfig {
  /** How often this member probes one other member (scaled up by local health awareness). */
  readonly probeIntervalMs: number;
  /** How long to wait for a direct ack before asking others to probe (scaled the same way). */
  readonly probeTimeoutMs: number;
  /** How many members are asked to probe indirectly when a direct probe goes unanswered. */
  readonly indirectChecks: number;
  /**
   * Suspicion lasts at least suspicionMult x max(1, log10 N) probe intervals (memberlist's
   * formula; a positive number, fractions allowed for profiles faster than memberlist's).
   */
  readonly suspicionMult: number;
  /** ...and at most this many times that, before confirmations from other members shorten it. */
  readonly suspicionMaxTimeoutMult: number;
  /**
   * Lifeguard's K: how many independent confirmations (other members whose own probes failed)
   * bring a suspicion down from its maximum to its minimum. Unset, it is memberlist's
   * suspicionMult - 2 (2 with the defaults); 0 means the minimum at once.
   */
  readonly suspicionConfirmations?: number;
  /**
   * A floor under the minimum suspicion timeout, whatever the pool's size (0: none, as in
   * memberlist). A profile with a small multiplier needs it: in a pool of 8, 1.5 x log10 N
   * intervals would be 1.5 s, less than a slow member takes to refute.
   */
  readonly minSuspicionTimeoutMs?: number;
  /** News is retransmitted retransmitMult x ceil(log10(N + 1)) times. */
  readonly retransmitMult: number;
  /** How often news is gossiped, and to how many members. */
  readonly gossipIntervalMs: number;
  readonly gossipNodes: number;
  /** Dead members keep receiving gossip this long (so one that comes back hears it was declared dead). */
  readonly gossipToTheDeadMs: number;
  /** Full state exchange with one random member over TCP (scaled up above 32 members). */
  readonly pushPullIntervalMs: number;
  /**
   * How often to try a full state exchange with one member believed dead (Serf's reconnect):
   * after a partition heals, the two sides find each other this way rather than waiting for
   * push-pull to happen to pick across.
   */
  readonly reconnectIntervalMs: number;
  /** Local health awareness never multiplies timeouts by more than this. */
  readonly awarenessMaxMultiplier: number;
  /** Lifeguard: awareness, nacks, confirmations shortening suspicion, the buddy system. */
  readonly lifeguard: boolean;
  /** The most bytes of one UDP packet; anything larger goes over TCP. */
  readonly packetBytes: number;
  /** Dead and left members are forgotten after this long. */
  readonly reapAfterMs: number;
}

export const LAN_DEFAULTS: GossipConfig = {
  probeIntervalMs: 1000,
  probeTimeoutMs: 500,
  indirectChecks: 3,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  retransmitMult: 4,
  gossipIntervalMs: 200,
  gossipNodes: 3,
  gossipToTheDeadMs: 30_000,
  pushPullIntervalMs: 30_000,
  reconnectIntervalMs: 10_000,
  awarenessMaxMultiplier: 8,
  lifeguard: true,
  packetBytes: 1400,
  reapAfterMs: 24 * 3600_000,
};

/**
 * Named profiles: overrides of LAN_DEFAULTS (`lan` is memberlist's LAN profile itself).
 *
 * `fast-lan` keeps the LAN probing (1 s interval, 500 ms timeout, 3 indirect), gossip, retransmits
 * and push-pull, and leans on Lifeguard instead: the minimum suspicion is 1.5 x log10 N probe
 * intervals (3.5 s at 200 members, against 9.2 s), but it applies only once one other member
 * has independently failed its own probe (K = 1); a suspicion nobody confirms lasts the maximum,
 * 6 x that (21 s), which is what keeps a healthy member that was wrongly suspected (by a starved
 * prober, say) alive at a member that missed its refutation. Why these values: a crash is first
 * suspected 1 s + the wait for someone to probe it (about exponential, mean ~1 s at any size),
 * so its worst case over 10 runs reaches 4-7 s; the minimum plus ~0.5 s of dissemination must fit
 * in what is left of 10 s. K = 1 because each further confirmation waits for another member's
 * probe (~1 s apiece, sometimes 4-5 s), and a missing one keeps the timeout far above the minimum.
 * The floor is the refutation time of a member that answers 3x the probe timeout late (up to
 * 2.5 s measured), so 3.5 s leaves about 1 s; it is also an absolute floor (minSuspicionTimeoutMs),
 * or small pools, where log10 N is 1, would get 1.5 s and kill slow members. Simulated at 200 members with 5% loss over seeds
 * 1-10 and 21-40 (npm run sim:gossip -- --members 200 --seeds 10 --profile fast-lan; --seeds 20 --start 21): crash
 * known by all in 5.3-5.8 s median, 9.0 s worst; no false death; a join known by all within 1.1 s.
 */
export type GossipProfile = 'lan' | 'fast-lan';
export const GOSSIP_PROFILES: Readonly<Record<GossipProfile, Partial<GossipConfig>>> = {
  lan: {},
  'fast-lan': { suspicionMult: 1.5, suspicionConfirmations: 1, suspicionMaxTimeoutMult: 6, minSuspicionTimeoutMs: 3500 },
};

/** A config value that cannot work, named. */
export class GossipConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly field: keyof GossipConfig,
    why: string,
  ) {
    super(`gossip ${field}: ${why}`);
  }
}

/**
 * The range a suspicion's timeout moves in, among `members` live members: the minimum once the
 * expected confirmations arrived (never below the floor), the maximum with none (Lifeguard; the
 * minimum alone without it).
 */
export function suspicionBoundsMs(c: GossipConfig, members: number): { minMs: number; maxMs: number } {
  const minMs = Math.max(c.minSuspicionTimeoutMs ?? 0, suspicionTimeoutMs(c.suspicionMult, members, c.probeIntervalMs));
  return { minMs, maxMs: c.lifeguard ? minMs * c.suspicionMaxTimeoutMult : minMs };
}

/** Lifeguard's K as configured: memberlist's suspicionMult - 2 unless set. */
export function suspicionConfirmations(c: GossipConfig): number {
  return c.suspicionConfirmations ?? Math.max(0, Math.floor(c.suspicionMult) - 2);
}

export function resolveGossipConfig(partial: Partial<GossipConfig> = {}): GossipConfig {
  const c: GossipConfig = { ...LAN_DEFAULTS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
  const positive = ['probeIntervalMs', 'probeTimeoutMs', 'suspicionMaxTimeoutMult', 'retransmitMult', 'gossipIntervalMs', 'gossipNodes', 'pushPullIntervalMs', 'reconnectIntervalMs', 'awarenessMaxMultiplier', 'reapAfterMs'] as const;
  for (const f of positive) if (!Number.isInteger(c[f]) || c[f] <= 0) throw new GossipConfigError(f, `must be a positive integer, got ${c[f]}`);
  if (!Number.isFinite(c.suspicionMult) || c.suspicionMult <= 0) throw new GossipConfigError('suspicionMult', `must be a positive number, got ${c.suspicionMult}`);
  if (c.minSuspicionTimeoutMs !== undefined && (!Number.isInteger(c.minSuspicionTimeoutMs) || c.minSuspicionTimeoutMs < 0)) throw new GossipConfigError('minSuspicionTimeoutMs', `must be a non-negative integer, got ${c.minSuspicionTimeoutMs}`);
  if (c.suspicionConfirmations !== undefined && (!Number.isInteger(c.suspicionConfirmations) || c.suspicionConfirmations < 0)) throw new GossipConfigError('suspicionConfirmations', `must be a non-negative integer, got ${c.suspicionConfirmations}`);
  for (const f of ['indirectChecks', 'gossipToTheDeadMs'] as const) if (!Number.isInteger(c[f]) || c[f] < 0) throw new GossipConfigError(f, `must be a non-negative integer, got ${c[f]}`);
  if (c.probeTimeoutMs >= c.probeIntervalMs) throw new GossipConfigError('probeTimeoutMs', `must be below probeIntervalMs (${c.probeIntervalMs}), leaving time for indirect probes`);
  if (!Number.isInteger(c.packetBytes) || c.packetBytes < 512 || c.packetBytes > 65_000) throw new GossipConfigError('packetBytes', `must be 512-65000, got ${c.packetBytes}`);
  if (typeof c.lifeguard !== 'boolean') throw new GossipConfigError('lifeguard', 'must be true or false');
  return c;
}
