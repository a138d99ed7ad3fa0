import { RosterError } from '../util/errors.js';
import type { AppendMessage, HeartbeatMessage, Message, SnapshotMessage } from './messages.js';
import { campaign, recordVote } from './election.js';
import type { RaftState } from './raft-state.js';

/** Messages at our own term while following. */
export function stepFollower(r: RaftState, m: Message): void {
  switch (m.type) {
    case 'app':
    case 'heartbeat':
    case 'snap':
      // The leader of our term spoke: it is alive, so our election timer restarts.
      r.electionElapsed = 0;
      r.lead = m.from;
      if (m.type === 'app') handleAppend(r, m);
      else if (m.type === 'heartbeat') handleHeartbeat(r, m);
      else handleSnapshot(r, m);
      return;
    case 'timeoutNow':
      // The leader hands over to us: campaign now, without Pre-Vote, and tell voters to ignore
      // their leader lease (the leader itself asked).
      campaign(r, 'transfer');
      return;
    case 'readIndexResp':
      r.readStates.push({ index: m.index, requestId: m.requestId });
      return;
    default:
      return; // stale answers to a role we no longer hold
  }
}

/** Messages at our own term while (pre-)campaigning. */
export function stepCandidate(r: RaftState, m: Message): void {
  switch (m.type) {
    case 'app':
    case 'heartbeat':
    case 'snap':
      // A leader exists in our term: a candidate (§5.2) or a pre-candidate yields to it.
      r.becomeFollower(m.term, m.from);
      stepFollower(r, m);
      return;
    case 'voteResp':
    case 'preVoteResp':
      recordVote(r, m);
      return;
    default:
      return;
  }
}

function handleAppend(r: RaftState, m: AppendMessage): void {
  const log = r.log;
  checkCommittedAgree(r, m);
  if (m.index < log.committed) {
    // Everything up to our commit index is known to match: say so, and the leader moves on.
    r.send({ type: 'appResp', to: m.from, index: log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  if (log.matchTerm(m.index, m.logTerm)) {
    const conflict = log.findConflict(m.entries);
    if (conflict !== 0) r.appendToLog(m.entries.slice(conflict - (m.index + 1)));
    const lastNew = m.index + m.entries.length;
    log.commitTo(Math.min(m.commit, lastNew));
    r.send({ type: 'appResp', to: m.from, index: lastNew, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  // Mismatch: point the leader at the last entry that could match, skipping whole terms.
  const guess = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
  r.send({ type: 'appResp', to: m.from, index: m.index, reject: true, hintIndex: guess.index, hintTerm: guess.term ?? 0 });
}

/**
 * A leader of our term or later holds every entry we committed (Leader Completeness), so an
 * append that gives another term to an index at or below our commit index means this log is of
 * another history (another cluster's data dir, or damage). Truncating would destroy committed
 * entries and carrying on would serve another history: stop, with advice the driver passes on.
 */
function checkCommittedAgree(r: RaftState, m: AppendMessage): void {
  const committed = r.log.committed;
  if (m.index > committed) return;
  agrees(r, m, m.index, m.logTerm);
  // Entries are in index order: only those up to our commit index are checked.
  for (let i = 0; i < m.entries.length && m.entries[i]!.index <= committed; i++) agrees(r, m, m.entries[i]!.index, m.entries[i]!.term);
}

function agrees(r: RaftState, m: AppendMessage, index: number, term: number): void {
  const ours = index === 0 ? undefined : r.log.term(index);
  if (ours === undefined || ours === term) return;
  throw new RosterError(
    'LOG_DIVERGED',
    `the leader ${m.from} has term ${term} at index ${index}, which this server committed with term ${ours}: this data dir holds another history. Move it aside and rejoin as a new member (operator raft remove-peer ${r.id}, then add-learner and an empty data dir); never copy it over a healthy replica`,
  );
}

function handleHeartbeat(r: RaftState, m: HeartbeatMessage): void {
  // The leader sends min(our match, its commit), which we are known to hold.
  r.log.commitTo(m.commit);
  r.send({ type: 'heartbeatResp', to: m.from, readSeq: m.readSeq });
}

function handleSnapshot(r: RaftState, m: SnapshotMessage): void {
  const meta = m.snapshot.meta;
  const log = r.log;
  if (meta.index <= log.committed) {
    // Older than what we have committed: nothing to install.
  } else if (log.matchTerm(meta.index, meta.term)) {
    // We already hold the entry the snapshot ends at, so everything up to it is committed.
    log.commitTo(meta.index);
  } else {
    const committedBefore = log.committed;
    log.restore(m.snapshot);
    r.confs.restore(meta.index, meta.conf, committedBefore);
  }
  // Claim only what is committed: beyond it our log may still disagree with the leader's.
  r.send({ type: 'appResp', to: m.from, index: log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
}
