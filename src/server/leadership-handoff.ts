import type { RaftStatus } from '../raft/index.js';
import { NO_NODE, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { monotonicClock } from '../time/monotonic-clock.js';

/**
 * The voter a stopping leader hands over to: the most caught-up one the leader has heard from
 * recently (ties by name, so the choice is deterministic); undefined when there is none.
 */
export function handoffTarget(st: RaftStatus): NodeId | undefined {
  const candidates = st.peers.filter((p) => p.id !== st.id && p.membership === 'voter' && p.recentActive);
  candidates.sort((a, b) => b.match - a.match || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return candidates[0]?.id;
}

export interface HandoffDeps {
  readonly self: NodeId;
  status(): RaftStatus;
  /** Starts a transfer (TimeoutNow once the target holds the whole log); throws if refused. */
  transfer(to: NodeId): void;
  readonly logger: Logger;
}

/**
 * A leader about to stop hands leadership to the most caught-up voter first (as etcd does), so
 * the cluster elects its successor at once instead of waiting out an election timeout.
 * Bounded: after `timeoutMs` it gives up, and the server stops anyway; a transfer the core
 * abandons (it took over an election timeout) is asked for again meanwhile. Resolves with the new leader, or undefined if there was no handover.
 */
export async function handOffLeadership(d: HandoffDeps, timeoutMs: number): Promise<NodeId | undefined> {
  const before = d.status();
  if (before.role !== 'leader') return undefined;
  const to = handoffTarget(before);
  if (to === undefined) return undefined;
  try {
    d.transfer(to);
  } catch (err) {
    d.logger.warn('could not hand over leadership before stopping', { to, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
  const until = monotonicClock.now() + timeoutMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, 10));
    const st = d.status();
    // Handed over once this server follows someone else (it heard from the new leader).
    if (st.role !== 'leader' && st.leader !== NO_NODE && st.leader !== d.self) {
      d.logger.info('leadership handed over before stopping', { to: st.leader, term: st.term, previousTerm: before.term });
      return st.leader;
    }
    if (monotonicClock.now() >= until) {
      d.logger.warn('leadership was not handed over in time; stopping anyway', { to, waitedMs: timeoutMs });
      return undefined;
    }
    // The core abandons a transfer that took longer than an election timeout (a loaded
    // machine, a slow target). While time remains, ask again, of whoever is most caught up now:
    // stopping as leader would cost the cluster an election timeout with no leader.
    const abandoned = st.role === 'leader' && st.leadTransferee === NO_NODE;
    if (abandoned) {
      const again = handoffTarget(st);
      if (again === undefined) return undefined;
      try {
        d.transfer(again);
        d.logger.info('leadership transfer abandoned by the core; asking again', { to: again });
      } catch {
        return undefined;
      }
    }
  }
}
