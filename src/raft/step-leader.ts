import type { AppendResponseMessage, HeartbeatResponseMessage, Message } from './messages.js';
import type { RaftState } from './raft-state.js';
import { handleReadRequest, maybeCommit, releaseConfirmedReads, sendAppend, sendTimeoutNow } from './replication.js';

/** Messages at our own term while leading. */
export function stepLeader(r: RaftState, m: Message): void {
  switch (m.type) {
    case 'appResp':
      onAppendResponse(r, m);
      return;
    case 'heartbeatResp':
      onHeartbeatResponse(r, m);
      return;
    case 'readIndex':
      handleReadRequest(r, m.from, m.requestId);
      return;
    default:
      // Vote requests were answered before dispatch; stale answers to a past candidacy and
      // (impossible) appends from another leader of our term are ignored.
      return;
  }
}

function onAppendResponse(r: RaftState, m: AppendResponseMessage): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return; // no longer a member
  pr.recentActive = true;
  if (m.reject) {
    // The follower's hint names the last entry that could match; find the last entry of ours
    // that could match it, so one round trip skips a whole conflicting term.
    const hint = m.hintTerm > 0 ? r.log.findConflictByTerm(m.hintIndex, m.hintTerm).index : m.hintIndex;
    if (pr.maybeDecrTo(m.index, hint)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      sendAppend(r, m.from, true);
    }
    return;
  }
  const wasPaused = pr.isPaused();
  // An idle follower's probe is answered at its current match: that too ends probing.
  if (!pr.maybeUpdate(m.index) && !(pr.state === 'probe' && m.index === pr.match)) return;
  if (r.leaving.has(m.from)) {
    r.forgetLeaving(m.from, true);
    if (!r.progress.has(m.from)) return;
  }
  if (pr.state === 'probe') {
    pr.becomeReplicate();
  } else if (pr.state === 'snapshot') {
    // Installed (or caught up otherwise): resume normal replication if the log still reaches.
    if (pr.match + 1 >= r.log.firstIndex()) pr.becomeReplicate();
  } else {
    pr.inflights.freeLE(m.index);
  }
  if (!maybeCommit(r) && wasPaused) sendAppend(r, m.from, false);
  // Fill the pipeline: several messages if the follower is far behind.
  while (r.role === 'leader' && sendAppend(r, m.from, false)) {
    /* keep sending */
  }
  if (r.role === 'leader' && m.from === r.leadTransferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

function onHeartbeatResponse(r: RaftState, m: HeartbeatResponseMessage): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.probeSent = false;
  // A full pipeline whose acknowledgements were lost would stall forever: free one slot.
  if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
  // A follower behind us gets an append even if empty: if its tail was lost, the mismatch
  // reply restarts replication from where it really is.
  if (pr.match < r.log.lastIndex()) sendAppend(r, m.from, true);
  if (m.readSeq > 0) {
    r.reads.ack(m.from, m.readSeq);
    releaseConfirmedReads(r);
  }
}
