import { nodeId, type NodeId } from '../util/ids.js';
import type { ConfState } from './types.js';

/**
 * One membership change. Roster changes membership one server at a time (Ongaro's dissertation
 * §4.1 "single-server changes"), never with joint consensus. Why that is safe, and the rules
 * that keep it safe, are in conf-history.ts and in Raft.proposeConfChange.
 *
 * - addVoter: a new voter, or the promotion of an existing learner;
 * - addLearner: a new non-voting member that receives the log;
 * - removeNode: removes a voter or a learner.
 */
export type ConfChangeType = 'addVoter' | 'addLearner' | 'removeNode';

export interface ConfChange {
  readonly type: ConfChangeType;
  readonly node: NodeId;
  /** Opaque to Raft: what the application needs about the member (for Roster, its addresses). */
  readonly context?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return encoder.encode(JSON.stringify(cc.context === undefined ? { type: cc.type, node: cc.node } : { type: cc.type, node: cc.node, context: cc.context }));
}

/** Decodes a ConfChange; anything malformed throws a TypeError saying what is wrong. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch {
    throw new TypeError('conf change: not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new TypeError('conf change: not an object');
  const { type, node, context } = raw as { type?: unknown; node?: unknown; context?: unknown };
  if (type !== 'addVoter' && type !== 'addLearner' && type !== 'removeNode') {
    throw new TypeError(`conf change: unknown type ${String(type)}`);
  }
  if (typeof node !== 'string') throw new TypeError('conf change: missing node');
  if (context !== undefined && typeof context !== 'string') throw new TypeError('conf change: context must be a string');
  return context === undefined ? { type, node: nodeId(node) } : { type, node: nodeId(node), context };
}

/** Why `cc` cannot apply to `conf`, or undefined if it can. */
export function confChangeError(conf: ConfState, cc: ConfChange): string | undefined {
  const isVoter = conf.voters.includes(cc.node);
  const isLearner = conf.learners.includes(cc.node);
  switch (cc.type) {
    case 'addVoter':
      return isVoter ? `${cc.node} is already a voter` : undefined;
    case 'addLearner':
      if (isLearner) return `${cc.node} is already a learner`;
      // A voter becoming a learner is a removal from the voters: allowed in principle, but the
      // operator's intent is ambiguous, so ask for an explicit removeNode first.
      return isVoter ? `${cc.node} is a voter; remove it before adding it back as a learner` : undefined;
    case 'removeNode':
      if (!isVoter && !isLearner) return `${cc.node} is not a member`;
      return isVoter && conf.voters.length === 1 ? `${cc.node} is the last voter` : undefined;
  }
}

/** The membership after `cc`; the caller has checked confChangeError. */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const voters = conf.voters.filter((id) => id !== cc.node);
  const learners = conf.learners.filter((id) => id !== cc.node);
  if (cc.type === 'addVoter') voters.push(cc.node);
  if (cc.type === 'addLearner') learners.push(cc.node);
  return { voters: voters.sort(), learners: learners.sort() };
}

export function describeConfState(conf: ConfState): string {
  const learners = conf.learners.length > 0 ? ` learners=${conf.learners.join(',')}` : '';
  return `voters=${conf.voters.join(',')}${learners}`;
}
