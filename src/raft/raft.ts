import { NO_NODE, type LogIndex, type NodeId, type Term } from '../util/ids.js';
import { applyConfChange, confChangeError, encodeConfChange, type ConfChange } from './conf-change.js';
import { campaign, handleVoteRequest } from './election.js';
import { impossibleMessage, type RaftDropReason } from './message-bounds.js';
import type { Message } from './messages.js';
import { hasQuorum } from './quorum.js';
import { RaftState } from './raft-state.js';
import { OK, refuse, type OpResult, type ProposeResult } from './refusal.js';
import {
  abortLeaderTransfer,
  bcastAppend,
  bcastHeartbeat,
  handleReadRequest,
  maybeCommit,
  releaseConfirmedReads,
  sendAppend,
  sendTimeoutNow,
} from './replication.js';
import { stepCandidate, stepFollower } from './step-follower.js';
import { stepLeader } from './step-leader.js';
import type { ConfState, Entry } from './types.js';

/**
 * The Raft consensus core: a deterministic state machine. Inputs are tick(), step(message) and
 * the request methods; outputs accumulate in `msgs`, `readStates` and the log, and leave through
 * RaftNode.ready(). No clocks, timers, I/O or global randomness.
 */
export class Raft extends RaftState {
  // ---- time ----

  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) {
        // CheckQuorum: we may be on the minority side of a partition; stop accepting writes
        // and reads that a majority elsewhere may already have superseded.
        this.becomeFollower(this.term, NO_NODE);
        return;
      }
      // A transfer that has not completed within an election timeout is abandoned.
      if (this.leadTransferee !== NO_NODE) abortLeaderTransfer(this);
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      bcastHeartbeat(this);
    }
  }

  /** Whether a majority of voters was heard from in the last round; starts a new round. */
  private quorumActive(): boolean {
    const active = hasQuorum(this.conf().voters, (id) => id === this.id || this.progress.get(id)?.recentActive === true);
    for (const id of [...this.leaving.keys()]) {
      if (this.progress.get(id)?.recentActive !== true) this.forgetLeaving(id, false); // silent: presumed gone
    }
    for (const [id, pr] of this.progress) {
      pr.activeLastRound = pr.recentActive;
      pr.recentActive = id === this.id;
    }
    return active;
  }

  /** Starts an election now (or its Pre-Vote rehearsal), as an election timeout would. */
  campaign(): void {
    if (this.role === 'leader') return;
    campaign(this, this.cfg.preVote ? 'pre' : 'real');
  }

  // ---- messages ----

  /**
   * Takes one message. Returns why it was dropped unread when no real peer could have sent it
   * (see message-bounds.ts): such a message changes nothing, not even the term.
   */
  step(m: Message): RaftDropReason | undefined {
    if (m.to !== this.id) return undefined;
    const impossible = impossibleMessage(m) ?? this.beyondOurLog(m) ?? this.timeoutNowNotFromLeader(m) ?? this.notOurLeader(m);
    if (impossible !== undefined) return impossible;
    if (!this.reconcileTerm(m)) return undefined;
    if (m.type === 'vote' || m.type === 'preVote') {
      handleVoteRequest(this, m);
      return undefined;
    }
    switch (this.role) {
      case 'leader':
        stepLeader(this, m);
        return undefined;
      case 'candidate':
      case 'preCandidate':
        stepCandidate(this, m);
        return undefined;
      case 'follower':
        stepFollower(this, m);
        return undefined;
    }
  }

  /**
   * Positions no leader of our term or a later one can name: it sends a follower a commit index
   * of at most what that follower acknowledged holding (min(match, commit), bcastHeartbeat), and
   * a follower acknowledges only entries (and read sequences) the leader sent it. Either beyond
   * our last index would reach the commit invariant (RaftLog.commitTo) and stop the server; etcd
   * panics there too. A
   * server whose data dir lost entries it acknowledged is stuck behind such heartbeats instead
   * (counted as commit_beyond_log). Stale messages (older terms) are left to reconcileTerm,
   * which answers them.
   */
  private beyondOurLog(m: Message): RaftDropReason | undefined {
    if (m.term < this.term) return undefined;
    if (m.type === 'heartbeat' && m.commit > this.log.lastIndex()) return 'commit_beyond_log';
    if (m.term !== this.term || this.role !== 'leader') return undefined;
    if (m.type === 'appResp' && !m.reject && m.index > this.log.lastIndex()) return 'ack_beyond_log';
    // A follower echoes the read sequence of a heartbeat we sent; a higher one would confirm
    // reads that no quorum has confirmed yet.
    if (m.type === 'heartbeatResp' && m.readSeq > this.reads.issued()) return 'ack_beyond_log';
    return undefined;
  }

  /**
   * A TimeoutNow makes a follower campaign at once and its vote requests pass every voter's
   * leader lease, so only the leader it follows may send one: the leader transfers leadership
   * to a follower that holds its whole log (sendTimeoutNow), so that follower has heard from it
   * in its term. Any other (another member, a term not ours, one arriving while we are not
   * following) is dropped before reconcileTerm, so it cannot raise our term either. Older terms
   * are stale, not forged: left to reconcileTerm, which ignores them.
   */
  private timeoutNowNotFromLeader(m: Message): RaftDropReason | undefined {
    if (m.type !== 'timeoutNow' || m.term < this.term) return undefined;
    return m.term === this.term && this.role === 'follower' && m.from === this.lead ? undefined : 'timeout_now_not_from_leader';
  }

  /**
   * What only a leader sends (appends, heartbeats, snapshots) from a node that cannot be one.
   * At our term: Election Safety allows one leader per term, so once we know it, another sender
   * is forged (taken, it would move our commit index on its word). At a later term: a leader is
   * a voter, and while our leader's lease holds (we heard from it within an election timeout) a
   * node outside our voters claiming a later term is no leader we could have missed; taken, it
   * would depose ours. A real new leader that our log does not show as a voter yet is taken
   * once the lease runs out, an election timeout at most.
   */
  private notOurLeader(m: Message): RaftDropReason | undefined {
    // A transfer campaign passes every voter's lease: only a voter is ever asked to make one.
    if ((m.type === 'vote' || m.type === 'preVote') && m.transfer && m.term > this.term && !this.isVoter(m.from)) return 'candidate_not_a_voter';
    if ((m.type !== 'app' && m.type !== 'heartbeat' && m.type !== 'snap') || m.term < this.term) return undefined;
    if (m.term === this.term) return this.role === 'leader' || (this.lead !== NO_NODE && m.from !== this.lead) ? 'second_leader' : undefined;
    const inLease = this.cfg.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.cfg.electionTick;
    return inLease && !this.isVoter(m.from) ? 'leader_not_a_voter' : undefined;
  }

  /**
   * §5.1: compare terms before anything else. Returns false when the message must be dropped.
   */
  private reconcileTerm(m: Message): boolean {
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        // Leader lease (dissertation §4.2.3): while we hear from a live leader, a vote request
        // comes from a node that is partitioned or removed; ignoring it keeps it from deposing
        // a healthy leader. A transfer campaign was asked for by the leader, so it passes.
        const inLease = this.cfg.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.cfg.electionTick;
        if (inLease && !m.transfer) return false;
      }
      if (m.type === 'preVote') return true; // a rehearsal never changes our term
      if (m.type === 'preVoteResp' && !m.reject) return true; // our own future term, echoed
      const lead = m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap' ? m.from : NO_NODE;
      const elapsed = this.electionElapsed;
      const timeout = this.randomizedElectionTimeout;
      this.becomeFollower(m.term, lead);
      // Figure 2: a follower's timer restarts when it hears from a leader or grants a vote, not
      // when a candidate merely shows a higher term. Otherwise candidates with stale logs, which
      // cannot win, keep resetting the timers of the only nodes that can. (The timer keeps its
      // randomized length too, or nodes past a fresh, shorter one would all fire at once.)
      if (m.type === 'vote' && this.role === 'follower') {
        this.electionElapsed = elapsed;
        this.randomizedElectionTimeout = timeout;
      }
      return true;
    }
    if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'app' || m.type === 'heartbeat')) {
        // A leader of an older term is talking to us. Our higher term came from an election
        // that could not win (Pre-Vote makes those rare, TimeoutNow still causes them); telling
        // it our term makes it step down, otherwise it would keep a cluster where we can never
        // win a vote (its followers keep their lease) nor follow it.
        this.send({ type: 'appResp', to: m.from, index: 0, reject: false, hintIndex: 0, hintTerm: 0 });
      } else if (m.type === 'preVote') {
        // Tell the pre-candidate it is behind, so it moves to our term.
        this.send({ type: 'preVoteResp', to: m.from, reject: true });
      }
      return false;
    }
    return true;
  }

  // ---- requests ----

  propose(data: readonly Uint8Array[]): ProposeResult {
    if (data.length === 0) return refuse('EMPTY_PROPOSAL', 'a proposal needs at least one command', this.lead);
    const refusal = this.refuseProposal();
    if (refusal !== undefined) return refusal;
    const first = this.log.lastIndex() + 1;
    const ents: Entry[] = new Array<Entry>(data.length);
    for (let i = 0; i < data.length; i++) ents[i] = { term: this.term, index: first + i, kind: 'normal', data: data[i]! };
    const last = this.appendToLog(ents);
    return { ok: true, index: first, lastIndex: last, term: this.term };
  }

  /**
   * Proposes one membership change. The rules that make single-server changes safe are
   * explained in conf-history.ts: one uncommitted change at a time, and none before this
   * leader has committed an entry of its own term.
   */
  proposeConfChange(cc: ConfChange): ProposeResult {
    const refusal = this.refuseProposal();
    if (refusal !== undefined) return refusal;
    if (this.log.term(this.log.committed) !== this.term) {
      return refuse('CONF_CHANGE_NOT_READY', 'the leader has not yet committed an entry of its term; retry shortly', this.lead);
    }
    if (this.confs.currentIndex() > this.log.committed) {
      return refuse('CONF_CHANGE_PENDING', `membership change at index ${this.confs.currentIndex()} is not yet committed`, this.lead);
    }
    const conf = this.conf();
    const error = confChangeError(conf, cc);
    if (error !== undefined) return refuse('INVALID_CONF_CHANGE', error, this.lead);
    if (cc.type === 'addVoter' && conf.learners.includes(cc.node)) {
      const match = this.progress.get(cc.node)?.match ?? 0;
      const lag = this.log.lastIndex() - match;
      if (lag > this.cfg.maxLearnerLag) {
        return refuse('LEARNER_NOT_CAUGHT_UP', `learner ${cc.node} trails the leader by ${lag} entries (limit ${this.cfg.maxLearnerLag})`, this.lead);
      }
    }
    const quorumError = this.unreachableQuorum(applyConfChange(conf, cc));
    if (quorumError !== undefined) return refuse('WOULD_LOSE_QUORUM', quorumError, this.lead);
    const index = this.log.lastIndex() + 1;
    this.appendToLog([{ term: this.term, index, kind: 'conf', data: encodeConfChange(cc) }]);
    // A smaller quorum may commit at once (for example after removing a lagging voter), and
    // reads now need confirmation from the new voters only.
    maybeCommit(this);
    releaseConfirmedReads(this);
    return { ok: true, index, lastIndex: index, term: this.term };
  }

  /**
   * Why the voters of `next` could not commit anything, judging by who answered during the
   * current or the previous CheckQuorum round (the current one alone is empty right after it
   * starts); undefined if a quorum of them is reachable. Configurations take
   * effect when appended, so a change to a configuration without a live quorum could never
   * commit, nor be undone (etcd's strict reconfiguration check).
   */
  private unreachableQuorum(next: ConfState): string | undefined {
    const voters = next.voters;
    if (voters.length === this.conf().voters.length && voters.every((v) => this.isVoter(v))) return undefined;
    const answered = (id: NodeId): boolean => {
      const pr = this.progress.get(id);
      return pr !== undefined && (pr.recentActive || pr.activeLastRound);
    };
    const reachable = voters.filter((id) => id === this.id || answered(id));
    const quorum = (voters.length >> 1) + 1;
    if (reachable.length >= quorum) return undefined;
    return `the voters would be ${voters.join(',')}, but only ${reachable.join(',') || 'none'} answered recently and a quorum needs ${quorum}`;
  }

  private refuseProposal(): ReturnType<typeof refuse> | undefined {
    if (this.role !== 'leader') return refuse('NOT_LEADER', `${this.id} is not the leader`, this.lead);
    if (!this.isVoter(this.id)) {
      // Removing itself: it leads only until that commits, then hands over.
      return refuse('NOT_LEADER', `${this.id} is leaving the cluster`, NO_NODE);
    }
    if (this.leadTransferee !== NO_NODE) {
      return refuse('TRANSFER_IN_PROGRESS', `leadership is being transferred to ${this.leadTransferee}`, this.lead);
    }
    return undefined;
  }

  /**
   * Asks for a linearizable read index. The answer arrives as a ReadState with `requestId`, on
   * this node, once the leader has confirmed its leadership; it may never arrive (leader lost),
   * so callers keep their own deadline.
   */
  readIndex(requestId: number): OpResult {
    if (this.role === 'leader') {
      handleReadRequest(this, this.id, requestId);
      return OK;
    }
    if (this.lead === NO_NODE) return refuse('NO_LEADER', 'no known leader to confirm the read', NO_NODE);
    this.send({ type: 'readIndex', to: this.lead, requestId });
    return OK;
  }

  /** Hands leadership to `to` once it has the whole log (TimeoutNow). */
  transferLeadership(to: NodeId): OpResult {
    if (this.role !== 'leader') return refuse('NOT_LEADER', `${this.id} is not the leader`, this.lead);
    if (to === this.id) return OK;
    if (!this.isVoter(to)) return refuse('NOT_A_VOTER', `${to} is not a voter`, this.lead);
    if (this.leadTransferee === to) return OK;
    this.leadTransferee = to;
    // The transfer must finish within an election timeout (checked in tickLeader).
    this.electionElapsed = 0;
    const pr = this.progress.get(to)!;
    if (pr.match === this.log.lastIndex()) sendTimeoutNow(this, to);
    else sendAppend(this, to, true);
    return OK;
  }

  /** The transport could not reach `id`: stop streaming to it until it answers again. */
  reportUnreachable(id: NodeId): void {
    const pr = this.role === 'leader' ? this.progress.get(id) : undefined;
    if (pr !== undefined && pr.state === 'replicate') pr.becomeProbe();
  }

  /** The transport finished sending a snapshot to `id` (ok) or gave up. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.role === 'leader' ? this.progress.get(id) : undefined;
    if (pr === undefined || pr.state !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's answer (or a heartbeat) before probing.
    pr.probeSent = true;
  }

  // ---- driver feedback ----

  /** The driver made entries up to (index, term) durable. The leader may now count itself. */
  persisted(index: LogIndex, term: Term): void {
    this.log.unstable.stableTo(index, term);
    if (this.role !== 'leader' || this.log.term(index) !== term) return;
    const self = this.progress.get(this.id);
    if (self !== undefined && self.maybeUpdate(index)) maybeCommit(this);
  }

  /** Sends what was deferred to batch it: appends for new proposals, heartbeats for new reads. */
  flush(): void {
    if (this.role !== 'leader') return;
    if (this.pendingBroadcast) {
      this.pendingBroadcast = false;
      bcastAppend(this);
    }
    if (this.readHeartbeatDue) {
      this.readHeartbeatDue = false;
      bcastHeartbeat(this);
    }
  }
}
