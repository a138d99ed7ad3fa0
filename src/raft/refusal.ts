import type { LogIndex, NodeId, Term } from '../util/ids.js';

/**
 * Why the core refused a request. Codes are stable; the layer above maps them to API errors
 * (NOT_LEADER becomes UNAVAILABLE or a forward to `leader`).
 */
export type RefusalCode =
  | 'NOT_LEADER'
  | 'NO_LEADER'
  | 'TRANSFER_IN_PROGRESS'
  | 'CONF_CHANGE_PENDING'
  | 'CONF_CHANGE_NOT_READY'
  | 'INVALID_CONF_CHANGE'
  | 'LEARNER_NOT_CAUGHT_UP'
  | 'WOULD_LOSE_QUORUM'
  | 'NOT_A_VOTER'
  | 'EMPTY_PROPOSAL';

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  readonly message: string;
  /** The leader this node knows of (NO_NODE if none), so the caller can forward. */
  readonly leader: NodeId;
}

/** A proposal accepted into the leader's log at [index, lastIndex] in `term`. It commits only
 * if, when applied, the entry at `index` still has this term; otherwise a new leader replaced it. */
export interface Accepted {
  readonly ok: true;
  readonly index: LogIndex;
  readonly lastIndex: LogIndex;
  readonly term: Term;
}

export type ProposeResult = Accepted | Refusal;

export type OpResult = { readonly ok: true } | Refusal;

export const OK: OpResult = { ok: true };

export function refuse(code: RefusalCode, message: string, leader: NodeId): Refusal {
  return { ok: false, code, message, leader };
}
