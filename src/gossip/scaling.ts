/**
 * How gossip's timeouts and repetition grow with the number of members N: news needs about
 * log N rounds to reach everyone, so retransmissions and suspicion scale with log N (SWIM's
 * analysis; the constants are memberlist's).
 */

/** The shortest suspicion: mult x max(1, log10 N) probe intervals. */
export function suspicionTimeoutMs(mult: number, members: number, probeIntervalMs: number): number {
  const factor = Math.max(1, Math.log10(Math.max(1, members)));
  return Math.round(mult * factor * probeIntervalMs);
}

/** How many times one piece of news is sent before it is dropped from the queue. */
export function retransmitLimit(mult: number, members: number): number {
  return mult * Math.ceil(Math.log10(members + 1));
}

/** Push-pull slows down above 32 members, so the full-state traffic stays bounded. */
export function pushPullIntervalMs(baseMs: number, members: number): number {
  const threshold = 32;
  if (members <= threshold) return baseMs;
  const multiplier = Math.ceil(Math.log2(members) - Math.log2(threshold)) + 1;
  return baseMs * multiplier;
}

/**
 * Lifeguard's suspicion timeout after `confirmations` independent suspicions of the k expected:
 * from max down to min on a log scale, so the first confirmations count most.
 */
export function suspicionRemainingMs(minMs: number, maxMs: number, expected: number, confirmations: number): number {
  if (expected < 1) return minMs;
  const frac = Math.log(confirmations + 1) / Math.log(expected + 1);
  return Math.max(minMs, Math.floor(maxMs - frac * (maxMs - minMs)));
}
