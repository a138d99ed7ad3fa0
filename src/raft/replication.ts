import { NO_NODE, type LogIndex, type NodeId } from '../util/ids.js';
import { majorityValue } from './quorum.js';
import type { RaftState } from './raft-state.js';

/**
 * The leader's side of log replication, commitment and reads. Functions over RaftState; only
 * called while this node is the leader.
 */

/**
 * Sends the follower the entries it lacks, or a snapshot if they are compacted away. Returns
 * whether a message was sent. With `ifEmpty`, an append without entries still goes out: it
 * carries the commit index, or probes a follower whose position is in doubt.
 */
export function sendAppend(r: RaftState, to: NodeId, ifEmpty: boolean): boolean {
  const pr = r.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.log.term(prevIndex);
  const ents = prevTerm === undefined ? undefined : r.log.slice(pr.next, r.log.lastIndex() + 1, r.cfg.maxSizePerMsg);
  if (prevTerm === undefined || ents === undefined) return sendSnapshot(r, to);
  if (ents.length === 0 && !ifEmpty) return false;
  r.send({ type: 'app', to, index: prevIndex, logTerm: prevTerm, entries: ents, commit: r.log.committed });
  pr.sentEntries(prevIndex + ents.length, ents.length);
  return true;
}

function sendSnapshot(r: RaftState, to: NodeId): boolean {
  const pr = r.progress.get(to)!;
  if (!pr.recentActive) return false; // don't ship a snapshot to a peer that seems down
  const snapshot = r.log.snapshot();
  if (snapshot === undefined) return false; // being produced: retry on a later round
  pr.becomeSnapshot(snapshot.meta.index);
  r.send({ type: 'snap', to, snapshot });
  return true;
}

/** Sends every follower what it lacks, filling its pipeline up to the inflight window. */
export function bcastAppend(r: RaftState): void {
  for (const id of r.peers()) {
    if (!sendAppend(r, id, true)) continue;
    while (sendAppend(r, id, false)) {
      /* more messages while the window and the log allow */
    }
  }
}

export function bcastHeartbeat(r: RaftState): void {
  const readSeq = r.reads.lastSeq();
  for (const id of r.peers()) {
    const pr = r.progress.get(id)!;
    // Never tell a follower to commit beyond what it is known to hold.
    r.send({ type: 'heartbeat', to: id, commit: Math.min(pr.match, r.log.committed), readSeq });
  }
}

/**
 * Advances the commit index to the highest index a majority of voters hold, but only if that
 * entry is of the current term (§5.4.2, Figure 8): an older-term entry is committed only
 * indirectly, by a current-term entry after it.
 */
export function maybeCommit(r: RaftState): boolean {
  const mci = majorityValue(r.conf().voters, (id) => r.progress.get(id)?.match ?? 0);
  if (mci <= r.log.committed || r.log.term(mci) !== r.term) return false;
  r.log.commitTo(mci);
  afterCommit(r);
  return true;
}

function afterCommit(r: RaftState): void {
  r.pendingBroadcast = true; // followers learn the new commit index
  if (r.readsAwaitingCommit.length > 0) {
    const waiting = r.readsAwaitingCommit;
    r.readsAwaitingCommit = [];
    for (const w of waiting) handleReadRequest(r, w.from, w.requestId);
  }
  maybeStepDownRemoved(r);
}

/**
 * A leader that removed itself keeps leading (without counting its own vote) until the
 * configuration that removes it commits; then it steps down, handing over to the most
 * up-to-date voter so the cluster need not wait for an election timeout.
 */
export function maybeStepDownRemoved(r: RaftState): void {
  const removedAt = r.confs.currentIndex();
  if (r.role !== 'leader' || r.isVoter(r.id) || r.log.committed < removedAt) return;
  // Tell everyone the removal committed before going quiet.
  bcastAppend(r);
  let best: NodeId = NO_NODE;
  let bestMatch = -1;
  for (const id of r.conf().voters) {
    const m = r.progress.get(id)?.match ?? 0;
    if (m > bestMatch) {
      best = id;
      bestMatch = m;
    }
  }
  r.becomeFollower(r.term, NO_NODE);
  // Proposals are refused once the removal is appended, so a voter holding the removal holds
  // everything that matters; it can win without waiting for an election timeout.
  if (best !== NO_NODE && bestMatch >= removedAt) r.send({ type: 'timeoutNow', to: best });
}

/**
 * A linearizable read (from this node or a follower). The read index is the commit index now;
 * it becomes servable once a heartbeat round shows a majority still follows us.
 */
export function handleReadRequest(r: RaftState, from: NodeId, requestId: number): void {
  // Until an entry of this term commits, our commit index may lag the previous leader's.
  if (r.log.term(r.log.committed) !== r.term) {
    r.readsAwaitingCommit.push({ from, requestId });
    return;
  }
  const voters = r.conf().voters;
  if (voters.length === 1 && voters[0] === r.id) {
    respondToRead(r, from, requestId, r.log.committed);
    return;
  }
  const seq = r.reads.add(r.log.committed, from, requestId);
  r.reads.ack(r.id, seq);
  r.readHeartbeatDue = true;
}

export function releaseConfirmedReads(r: RaftState): void {
  for (const read of r.reads.takeConfirmed(r.conf().voters)) respondToRead(r, read.from, read.requestId, read.index);
}

function respondToRead(r: RaftState, from: NodeId, requestId: number, index: LogIndex): void {
  if (from === r.id) r.readStates.push({ index, requestId });
  else r.send({ type: 'readIndexResp', to: from, requestId, index });
}

export function sendTimeoutNow(r: RaftState, to: NodeId): void {
  r.send({ type: 'timeoutNow', to });
}

export function abortLeaderTransfer(r: RaftState): void {
  r.leadTransferee = NO_NODE;
}
