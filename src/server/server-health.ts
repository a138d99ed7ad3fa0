import type { RaftStatus } from '../raft/index.js';
import { NO_NODE } from '../util/ids.js';

/** When a server stops being worth sending traffic to (its /health turns 503). */
export interface HealthLimits {
  /** Far behind: applied index more than this many entries behind the commit index it knows. */
  readonly maxLagEntries: number;
  /** A follower that has not heard from its leader for longer than this is cut off from it. */
  readonly maxLeaderContactMs: number;
}

export const HEALTH_DEFAULTS = { maxLagEntries: 1000 } as const;

export interface HealthInputs {
  readonly isLeader: boolean;
  readonly leader: string;
  /** The highest commit index this server knows of (its own, or what the leader last said). */
  readonly knownCommit: number;
  readonly applied: number;
  readonly msSinceLeaderContact: number;
  /** Why this server cannot write its Raft log, if it cannot (it refuses writes). */
  readonly diskFault?: string | undefined;
}

/**
 * Healthy: it knows a leader, has heard from it recently, and has applied nearly everything it
 * knows is committed. A follower stuck far behind answers stale reads with old data and slows
 * linearizable ones, and one cut off from its leader is about to be in an election: a load
 * balancer should send clients elsewhere. The reason says which, in one line.
 */
export function serverHealth(i: HealthInputs, limits: HealthLimits): { healthy: boolean; reason: string | undefined } {
  if (i.diskFault !== undefined) return { healthy: false, reason: i.diskFault };
  if (i.leader === NO_NODE) return { healthy: false, reason: 'no leader (an election is under way or no quorum is reachable)' };
  if (!i.isLeader && i.msSinceLeaderContact > limits.maxLeaderContactMs) {
    return { healthy: false, reason: `no contact with the leader ${i.leader} for ${i.msSinceLeaderContact} ms (limit ${limits.maxLeaderContactMs})` };
  }
  const lag = i.knownCommit - i.applied;
  if (lag > limits.maxLagEntries) return { healthy: false, reason: `applied index ${i.applied} is ${lag} entries behind the commit index ${i.knownCommit} (limit ${limits.maxLagEntries})` };
  return { healthy: true, reason: undefined };
}

/** On the leader: how many entries each other member's log is behind the leader's (empty elsewhere). */
export function followerLag(st: RaftStatus): Map<string, number> {
  const out = new Map<string, number>();
  if (st.role !== 'leader') return out;
  for (const p of st.peers) if (p.id !== st.id) out.set(p.id, Math.max(0, st.lastIndex - p.match));
  return out;
}
