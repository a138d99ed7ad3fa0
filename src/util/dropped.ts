import type { Logger } from './logger.js';

/**
 * Inputs a process drops instead of failing on (an entry that does not decode, a malformed
 * forwarded proposal, an exception of a core handling a packet, a failed background task).
 * Each is logged and counted by where and why, so none is silent: the agent's metrics show the
 * counts as roster_dropped_total{site,reason}. Counted per process (the sites have no common
 * owner to hold them); counts only grow.
 */
const counts = new Map<string, { site: string; reason: string; n: number }>();

/**
 * Logs (warn, with `fields` and the error) and counts one dropped input. A site and reason is
 * logged at its 1st, 2nd, 4th, 8th ... occurrence, saying how many so far: a peer that sends a
 * bad packet on every tick must not flood the log, while the count keeps every one.
 */
export function noteDropped(logger: Logger, site: string, reason: string, err: unknown, fields: Record<string, unknown> = {}): void {
  const key = `${site}\u0000${reason}`;
  let c = counts.get(key);
  if (c === undefined) {
    c = { site, reason, n: 0 };
    counts.set(key, c);
  }
  c.n++;
  if ((c.n & (c.n - 1)) !== 0) return; // not a power of two
  logger.warn(`${site}: dropped (${reason})`, { ...fields, error: err instanceof Error ? err.message : String(err), ...(c.n > 1 ? { droppedSoFar: c.n } : {}) });
}

/** Every count so far. */
export function droppedCounts(): { site: string; reason: string; n: number }[] {
  return [...counts.values()].map(({ site, reason, n }) => ({ site, reason, n }));
}

/** The count of one site and reason (0 if none). */
export function droppedCount(site: string, reason: string): number {
  return counts.get(`${site}\u0000${reason}`)?.n ?? 0;
}
