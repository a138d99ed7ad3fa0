import { NO_NODE } from '../util/ids.js';
import type { VoteMessage, VoteResponseMessage } from './messages.js';
import { voteResult } from './quorum.js';
import type { RaftState } from './raft-state.js';

/**
 * Elections: campaigning (with the optional Pre-Vote rehearsal), granting votes, and tallying.
 *
 * - 'pre': Pre-Vote (dissertation §9.6). Ask whether we could win at term+1 without moving to
 *   it; a node cut off from the cluster never wins a rehearsal, so it cannot inflate its term
 *   and depose a healthy leader when it returns.
 * - 'real': a normal election at term+1.
 * - 'transfer': a real election started by TimeoutNow; voters skip their leader-lease check.
 */
export type CampaignKind = 'pre' | 'real' | 'transfer';

export function campaign(r: RaftState, kind: CampaignKind): void {
  if (!r.promotable()) return;
  let voteTerm: number;
  if (kind === 'pre') {
    r.becomePreCandidate();
    voteTerm = r.term + 1;
  } else {
    r.becomeCandidate();
    voteTerm = r.term;
  }
  r.votes.set(r.id, true);
  if (tally(r)) return; // a single-voter cluster wins at once
  const index = r.log.lastIndex();
  const logTerm = r.log.lastTerm();
  for (const id of r.conf().voters) {
    if (id === r.id) continue;
    r.send({ type: kind === 'pre' ? 'preVote' : 'vote', to: id, term: voteTerm, index, logTerm, transfer: kind === 'transfer' });
  }
}

/**
 * Whether to grant a (pre-)vote. Reached only once terms are reconciled: for a real vote
 * m.term === r.term; a pre-vote may carry a higher term we have not moved to.
 */
export function handleVoteRequest(r: RaftState, m: VoteMessage): void {
  const respType = m.type === 'vote' ? 'voteResp' : 'preVoteResp';
  // One vote per term (§5.2): we may repeat a vote already given to this candidate, or vote if
  // we have neither voted nor follow a leader in this term. A pre-vote for a future term binds
  // nothing, so it only needs the log check.
  const canVote = r.vote === m.from || (r.vote === NO_NODE && r.lead === NO_NODE) || (m.type === 'preVote' && m.term > r.term);
  if (canVote && r.log.isUpToDate(m.index, m.logTerm)) {
    // A granted pre-vote answers in the term asked about, so the pre-candidate can count it.
    r.send({ type: respType, to: m.from, term: m.term, reject: false });
    if (m.type === 'vote') {
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    r.send({ type: respType, to: m.from, reject: true });
  }
}

/** A candidate or pre-candidate counts an answer; true once the election is decided. */
export function recordVote(r: RaftState, m: VoteResponseMessage): boolean {
  const expected = r.role === 'preCandidate' ? 'preVoteResp' : 'voteResp';
  if (m.type !== expected) return false;
  if (!r.votes.has(m.from)) r.votes.set(m.from, !m.reject);
  return tally(r);
}

function tally(r: RaftState): boolean {
  const result = voteResult(r.conf().voters, r.votes);
  if (result === 'pending') return false;
  if (result === 'lost') {
    r.becomeFollower(r.term, NO_NODE);
    return true;
  }
  if (r.role === 'preCandidate') campaign(r, 'real');
  else r.becomeLeader();
  return true;
}
