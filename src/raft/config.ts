import { RosterError } from '../util/errors.js';
import type { LogIndex, NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { Rng } from '../util/rng.js';
import type { RaftStorage } from './storage.js';

/** Everything a Raft core needs; time and randomness are injected like the rest. */
export interface RaftConfig {
  readonly id: NodeId;
  readonly storage: RaftStorage;
  /** The only source of randomness: the election timeout jitter. */
  readonly rng: Rng;
  /** Ticks without hearing from a leader before campaigning (randomized in [n, 2n)). */
  readonly electionTick?: number;
  /** Ticks between leader heartbeats; must be well below electionTick. */
  readonly heartbeatTick?: number;
  /** The index the state machine already reflects (persisted by the application). */
  readonly applied?: LogIndex;
  /** Byte budget of the entries in one append message. */
  readonly maxSizePerMsg?: number;
  /** Append messages in flight to one follower before the leader waits for acknowledgements. */
  readonly maxInflightMsgs?: number;
  /** Byte budget of the committed entries handed out in one Ready. */
  readonly maxCommittedSizePerReady?: number;
  /** A leader that hears from no quorum for an election timeout steps down. */
  readonly checkQuorum?: boolean;
  /** Rehearse elections so that a rejoining node cannot depose a healthy leader. */
  readonly preVote?: boolean;
  /** A learner is promoted only if it trails the leader's last index by at most this many entries. */
  readonly maxLearnerLag?: number;
  readonly logger?: Logger;
}

export type ResolvedRaftConfig = Required<Omit<RaftConfig, 'logger'>> & { readonly logger: Logger | undefined };

export const RAFT_DEFAULTS = {
  electionTick: 10,
  heartbeatTick: 1,
  applied: 0,
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  maxCommittedSizePerReady: 16 * 1024 * 1024,
  checkQuorum: true,
  preVote: true,
  maxLearnerLag: 1000,
} as const;

function invalid(field: string, why: string): RosterError {
  return new RosterError('INVALID_CONFIG', `raft config: ${field} ${why}`, { field });
}

function positiveInt(field: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw invalid(field, `must be a positive integer, got ${v}`);
}

/** Fills defaults and rejects impossible values with an INVALID_CONFIG error naming the field. */
export function resolveRaftConfig(cfg: RaftConfig): ResolvedRaftConfig {
  const r: ResolvedRaftConfig = {
    ...RAFT_DEFAULTS,
    ...stripUndefined(cfg),
    id: cfg.id,
    storage: cfg.storage,
    rng: cfg.rng,
    logger: cfg.logger,
  };
  if (r.id === '') throw invalid('id', 'must not be empty');
  positiveInt('electionTick', r.electionTick);
  positiveInt('heartbeatTick', r.heartbeatTick);
  if (r.heartbeatTick >= r.electionTick) {
    throw invalid('heartbeatTick', `(${r.heartbeatTick}) must be below electionTick (${r.electionTick})`);
  }
  positiveInt('maxSizePerMsg', r.maxSizePerMsg);
  positiveInt('maxInflightMsgs', r.maxInflightMsgs);
  positiveInt('maxCommittedSizePerReady', r.maxCommittedSizePerReady);
  if (!Number.isInteger(r.applied) || r.applied < 0) throw invalid('applied', `must be a non-negative integer, got ${r.applied}`);
  if (!Number.isInteger(r.maxLearnerLag) || r.maxLearnerLag < 0) throw invalid('maxLearnerLag', `must be a non-negative integer`);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
