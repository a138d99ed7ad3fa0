import { invariant } from '../util/assert.js';
import { NO_NODE, type LogIndex, type NodeId, type Term } from '../util/ids.js';
import { resolveRaftConfig, type RaftConfig, type ResolvedRaftConfig } from './config.js';
import { ConfHistory } from './conf-history.js';
import type { Message } from './messages.js';
import { Progress } from './progress.js';
import { RaftLog } from './raft-log.js';
import { ReadIndexQueue } from './read-index.js';
import { EMPTY_DATA, type ConfState, type Entry, type ReadState, type Role } from './types.js';

/** A message before the core stamps its sender and term. */
export type Outgoing = Message extends infer M ? (M extends Message ? Omit<M, 'from' | 'term'> & { term?: Term } : never) : never;

/**
 * The state of one Raft node and the transitions between roles. Role behaviour lives in
 * step-leader.ts, step-follower.ts, election.ts and replication.ts as functions over this state;
 * raft.ts holds the public entry points. Fields are public to those modules only: callers use
 * RaftNode.
 */
export class RaftState {
  readonly id: NodeId;
  readonly cfg: ResolvedRaftConfig;
  readonly log: RaftLog;
  readonly confs: ConfHistory;

  term: Term = 0;
  vote: NodeId = NO_NODE;
  lead: NodeId = NO_NODE;
  role: Role = 'follower';

  /**
   * Leader only: the replication state of every member, this node included, and of nodes
   * being removed (see `leaving`).
   */
  progress = new Map<NodeId, Progress>();
  /**
   * Leader only: removed nodes that may not yet hold the entry removing them, with that entry's
   * index. The leader keeps replicating to them until they do, so they learn they are out and
   * stop campaigning, or until they stop answering. They never count toward any quorum.
   */
  leaving = new Map<NodeId, LogIndex>();
  /** Candidates only: votes received in the current election. */
  readonly votes = new Map<NodeId, boolean>();

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;

  /** Leader only: the node leadership is being handed to, or NO_NODE. */
  leadTransferee: NodeId = NO_NODE;
  readonly reads = new ReadIndexQueue();
  /** Reads that arrived before this leader committed an entry of its own term. */
  readsAwaitingCommit: { from: NodeId; requestId: number }[] = [];

  /** Proposals were appended: send appends to every follower when the Ready is built. */
  pendingBroadcast = false;
  /** Reads were registered: send one heartbeat round when the Ready is built. */
  readHeartbeatDue = false;

  msgs: Message[] = [];
  readStates: ReadState[] = [];

  constructor(config: RaftConfig) {
    this.cfg = resolveRaftConfig(config);
    this.id = this.cfg.id;
    const storage = this.cfg.storage;
    const { hardState, conf, snapshotIndex } = storage.initialState();
    this.log = new RaftLog(storage, this.cfg.applied);
    this.confs = new ConfHistory(snapshotIndex, conf);
    // Configurations take effect when appended, so replay those in the durable log after the
    // snapshot (entries kept below it are already reflected in its membership).
    const last = storage.lastIndex();
    const from = Math.max(storage.firstIndex(), snapshotIndex + 1);
    if (last >= from) this.confs.appended(storage.entries(from, last + 1));
    this.becomeFollower(hardState.term, NO_NODE);
    this.vote = hardState.vote;
  }

  conf(): ConfState {
    return this.confs.current();
  }

  isVoter(id: NodeId = this.id): boolean {
    return this.confs.current().voters.includes(id);
  }

  /** Only voters of the node's own latest configuration may campaign. */
  promotable(): boolean {
    return this.isVoter(this.id) && this.log.unstable.snapshot === undefined;
  }

  send(m: Outgoing): void {
    const msg = { ...m, from: this.id, term: m.term ?? this.term } as Message;
    this.msgs.push(msg);
  }

  // ---- role transitions ----

  private reset(term: Term): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTick + this.cfg.rng.int(this.cfg.electionTick);
    this.leadTransferee = NO_NODE;
    this.votes.clear();
    this.progress = new Map();
    this.leaving = new Map();
    // A read registered by a leader that lost its role never answers: its index may be stale.
    this.reads.reset();
    this.readsAwaitingCommit = [];
    this.pendingBroadcast = false;
    this.readHeartbeatDue = false;
  }

  becomeFollower(term: Term, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
    this.cfg.logger?.debug('raft: follower', { id: this.id, term, lead });
  }

  becomePreCandidate(): void {
    invariant(this.role !== 'leader', 'a leader cannot become a pre-candidate');
    // Pre-Vote leaves term and vote alone: only a won rehearsal moves to a new term.
    this.votes.clear();
    this.lead = NO_NODE;
    this.role = 'preCandidate';
  }

  becomeCandidate(): void {
    invariant(this.role !== 'leader', 'a leader cannot become a candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
    this.cfg.logger?.debug('raft: candidate', { id: this.id, term: this.term });
  }

  becomeLeader(): void {
    invariant(this.role === 'candidate', () => `${this.id} became leader from ${this.role}`);
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.syncProgress();
    // Our own entries count only once durable: the driver confirms them through advance().
    const self = this.progress.get(this.id);
    if (self !== undefined) {
      self.match = this.log.lastStableIndex();
      self.next = this.log.lastIndex() + 1;
      self.recentActive = true;
    }
    // The no-op of the new term: committing it commits everything before it (§5.4.2) and
    // unlocks ReadIndex and membership changes.
    this.appendToLog([{ term: this.term, index: this.log.lastIndex() + 1, kind: 'normal', data: EMPTY_DATA }]);
    this.cfg.logger?.debug('raft: leader', { id: this.id, term: this.term });
  }

  // ---- the log and membership ----

  /** Appends entries (leader proposals or a follower's accepted suffix) and tracks membership. */
  appendToLog(ents: readonly Entry[]): LogIndex {
    const last = this.log.append(ents);
    if (this.confs.appended(ents) && this.role === 'leader') this.syncProgress();
    if (this.role === 'leader') this.pendingBroadcast = true;
    return last;
  }

  /**
   * Leader: one Progress per member of the current configuration, plus the nodes just removed
   * (tracked in `leaving` until they have the entry that removes them).
   */
  syncProgress(): void {
    const conf = this.confs.current();
    const members = new Set<NodeId>([...conf.voters, ...conf.learners]);
    for (const id of [...this.progress.keys()]) {
      if (members.has(id)) continue;
      if (id === this.id || this.role !== 'leader') this.progress.delete(id);
      else if (!this.leaving.has(id)) this.leaving.set(id, this.confs.currentIndex());
    }
    if (!members.has(this.leadTransferee)) this.leadTransferee = NO_NODE;
    for (const id of members) {
      this.leaving.delete(id);
      if (!this.progress.has(id)) {
        const pr = new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightMsgs);
        // A member is presumed active when it joins, so CheckQuorum gives it a full round.
        pr.recentActive = true;
        this.progress.set(id, pr);
      }
    }
  }

  /** Stops replicating to a removed node once it holds its removal, or seems to be down. */
  forgetLeaving(id: NodeId, onlyIfDone: boolean): void {
    const removedAt = this.leaving.get(id);
    const pr = this.progress.get(id);
    if (removedAt === undefined || pr === undefined) return;
    if (onlyIfDone && pr.match < removedAt) return;
    this.leaving.delete(id);
    this.progress.delete(id);
  }

  /** Nodes other than this one that the leader replicates to (members and leaving nodes). */
  peers(): NodeId[] {
    const out: NodeId[] = [];
    for (const id of this.progress.keys()) if (id !== this.id) out.push(id);
    return out;
  }
}
