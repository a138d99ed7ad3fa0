import { inWireBounds, MAX_WIRE_INDEX, MAX_WIRE_TERM } from '../util/wire-bounds.js';
import type { Message } from './messages.js';

/**
 * Why the core dropped a message unread. Real peers never send one of these: each is a forged
 * or corrupted message that, taken, would have reached an `invariant` (and stopped the server)
 * or left a number that `+ 1` no longer changes. The driver counts them by this reason.
 */
export type RaftDropReason =
  /** A term, index or count that is not an integer in [0, 2^48] (src/util/wire-bounds.ts). */
  | 'out_of_bounds'
  /** Entries that do not follow one another from the append's index, or whose terms go back. */
  | 'entries_out_of_order'
  /** A heartbeat asking to commit past the end of this log: no leader knows we hold that. */
  | 'commit_beyond_log'
  /** An acknowledgement of entries past the end of the leader's own log, or of a read sequence it never sent. */
  | 'ack_beyond_log'
  /** A TimeoutNow (campaign at once, past every lease) not from the leader this follower follows in its term. */
  | 'timeout_now_not_from_leader'
  /** An append, heartbeat or snapshot of our term from another node than its leader (one leader per term). */
  | 'second_leader'
  /** An append, heartbeat or snapshot of a later term from a node that is no voter of ours, while our leader's lease holds. */
  | 'leader_not_a_voter'
  /** A transfer vote request (it passes every lease) of a later term from a node that is no voter of ours. */
  | 'candidate_not_a_voter';

/** Every sequence number a peer echoes must stay an exact integer. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * Checks what a message says on its own, before any state is consulted: numbers in bounds, and
 * the shape every real sender gives it. Undefined when it may be stepped.
 */
export function impossibleMessage(m: Message): RaftDropReason | undefined {
  if (!inWireBounds(m.term, MAX_WIRE_TERM)) return 'out_of_bounds';
  switch (m.type) {
    case 'app':
      return impossibleAppend(m);
    case 'appResp':
      if (!index(m.index) || !index(m.hintIndex) || !term(m.hintTerm)) return 'out_of_bounds';
      // A follower's hint is at or below the probe it rejects.
      return m.reject && m.hintIndex > m.index ? 'out_of_bounds' : undefined;
    case 'heartbeat':
      return index(m.commit) && inWireBounds(m.readSeq, MAX_SEQ) ? undefined : 'out_of_bounds';
    case 'heartbeatResp':
      return inWireBounds(m.readSeq, MAX_SEQ) ? undefined : 'out_of_bounds';
    case 'vote':
    case 'preVote':
      return index(m.index) && term(m.logTerm) ? undefined : 'out_of_bounds';
    case 'voteResp':
    case 'preVoteResp':
    case 'timeoutNow':
      return undefined;
    case 'snap':
      return index(m.snapshot.meta.index) && term(m.snapshot.meta.term) ? undefined : 'out_of_bounds';
    case 'readIndex':
      return inWireBounds(m.requestId, MAX_SEQ) ? undefined : 'out_of_bounds';
    case 'readIndexResp':
      return inWireBounds(m.requestId, MAX_SEQ) && index(m.index) ? undefined : 'out_of_bounds';
  }
}

/**
 * A leader sends the entries after (`index`, `logTerm`) in order, each one index further and of
 * a term no older than the one before, and all of them below the index bound. (Terms above the
 * sender's own are left to the log checks: they mean another history, see step-follower.ts.)
 */
function impossibleAppend(m: Extract<Message, { type: 'app' }>): RaftDropReason | undefined {
  if (!index(m.index) || !term(m.logTerm) || !index(m.commit)) return 'out_of_bounds';
  if (m.entries.length > MAX_WIRE_INDEX - m.index) return 'out_of_bounds';
  let prevTerm = m.logTerm;
  for (let i = 0; i < m.entries.length; i++) {
    const e = m.entries[i]!;
    if (!term(e.term) || !index(e.index)) return 'out_of_bounds';
    if (e.index !== m.index + 1 + i || e.term < prevTerm) return 'entries_out_of_order';
    prevTerm = e.term;
  }
  return undefined;
}

function index(v: number): boolean {
  return inWireBounds(v, MAX_WIRE_INDEX);
}

function term(v: number): boolean {
  return inWireBounds(v, MAX_WIRE_TERM);
}
