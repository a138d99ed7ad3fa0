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
  /** Suspicion lasts at least suspicionMult x max(1, log10 N) probe intervals. */
  readonly suspicionMult: number;
  /** ...and at most this many times that, before confirmations from other members shorten it. */
  readonly suspicionMaxTimeoutMult: number;
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

export function resolveGossipConfig(partial: Partial<GossipConfig> = {}): GossipConfig {
  const c: GossipConfig = { ...LAN_DEFAULTS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
  const positive = ['probeIntervalMs', 'probeTimeoutMs', 'suspicionMult', 'suspicionMaxTimeoutMult', 'retransmitMult', 'gossipIntervalMs', 'gossipNodes', 'pushPullIntervalMs', 'reconnectIntervalMs', 'awarenessMaxMultiplier', 'reapAfterMs'] as const;
  for (const f of positive) if (!Number.isInteger(c[f]) || c[f] <= 0) throw new GossipConfigError(f, `must be a positive integer, got ${c[f]}`);
  for (const f of ['indirectChecks', 'gossipToTheDeadMs'] as const) if (!Number.isInteger(c[f]) || c[f] < 0) throw new GossipConfigError(f, `must be a non-negative integer, got ${c[f]}`);
  if (c.probeTimeoutMs >= c.probeIntervalMs) throw new GossipConfigError('probeTimeoutMs', `must be below probeIntervalMs (${c.probeIntervalMs}), leaving time for indirect probes`);
  if (!Number.isInteger(c.packetBytes) || c.packetBytes < 512 || c.packetBytes > 65_000) throw new GossipConfigError('packetBytes', `must be 512-65000, got ${c.packetBytes}`);
  if (typeof c.lifeguard !== 'boolean') throw new GossipConfigError('lifeguard', 'must be true or false');
  return c;
}
