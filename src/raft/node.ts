import { invariant } from '../util/assert.js';
import type { LogIndex, NodeId, Term } from '../util/ids.js';
import type { ConfChange } from './conf-change.js';
import type { RaftConfig } from './config.js';
import type { RaftDropReason } from './message-bounds.js';
import type { Message } from './messages.js';
import type { ProgressState } from './progress.js';
import { Raft } from './raft.js';
import type { OpResult, ProposeResult } from './refusal.js';
import { sameHardState, type ConfState, type Entry, type HardState, type ReadState, type Role, type Snapshot, type SoftState } from './types.js';

/**
 * One batch of work for the driver. THE CONTRACT, in order:
 *
 * 1. Persist `hardState`, `entries` (appending, and replacing any stored suffix they overlap)
 *    and `snapshot` together, atomically. If `mustSync`, fsync before going on. A Ready with
 *    no entries and no snapshot whose hard state only moved the commit index (mustSync false)
 *    may skip the write entirely: the commit index is recomputed after a restart (it is at
 *    least the applied index the driver passes back).
 * 2. Only then send `messages`. Every vote granted and every append acknowledged in them
 *    promises state made durable in step 1; sending earlier can lose acknowledged writes.
 *    One exception: a leader's appends and heartbeats (`app`, `heartbeat`) may leave before its
 *    own write completes, so followers write in parallel with it, and, through
 *    takeLeaderMessages(), while it is still under way, so a slow fsync does not silence the
 *    leader. That is safe because they promise nothing about the leader's own log: it counts
 *    it toward commitment only for entries advance() confirmed durable (see persisted()), so
 *    the commit index they carry is already durable on a majority.
 * 3. If `snapshot` is set, restore the state machine from it; then hand `committedEntries`
 *    to the state machine, which applies them in order (possibly after advance(): applying
 *    may be pipelined behind the next Ready), and serve `readStates` once the state machine
 *    has applied their index.
 * 4. Call advance(). Until then ready() must not be called again; tick(), step() and the
 *    request methods may be, and their effects land in the next Ready.
 *
 * Because the leader counts its own log only for entries confirmed by advance(), and every
 * message waits for step 1, nothing is acknowledged or committed on the strength of a write
 * that a crash could still lose.
 */
export interface Ready {
  /** Set when the leader or the role changed. */
  readonly softState: SoftState | undefined;
  /** Set when term, vote or commit changed. */
  readonly hardState: HardState | undefined;
  readonly entries: readonly Entry[];
  readonly snapshot: Snapshot | undefined;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
  /** Whether step 1 needs an fsync (new entries, a snapshot, or a new term or vote). */
  readonly mustSync: boolean;
}

export interface PeerStatus {
  readonly id: NodeId;
  /** 'leaving': removed, still being sent the log until it holds its own removal. */
  readonly membership: 'voter' | 'learner' | 'leaving';
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: ProgressState;
  readonly recentActive: boolean;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly term: Term;
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly role: Role;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly firstIndex: LogIndex;
  readonly lastIndex: LogIndex;
  readonly conf: ConfState;
  readonly leadTransferee: NodeId;
  /** Leader only: replication state of each member. */
  readonly peers: readonly PeerStatus[];
}

interface InFlight {
  readonly hardState: HardState | undefined;
  readonly lastEntry: { index: LogIndex; term: Term } | undefined;
  readonly snapshotIndex: LogIndex | undefined;
  readonly appliedTo: LogIndex | undefined;
}

/** The public face of the Raft core: requests in, Ready batches out. */
export class RaftNode {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private inFlight: InFlight | undefined = undefined;

  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    this.prevSoft = { leader: this.raft.lead, role: this.raft.role };
    this.prevHard = config.storage.initialState().hardState;
  }

  get id(): NodeId {
    return this.raft.id;
  }

  get term(): Term {
    return this.raft.term;
  }

  get role(): Role {
    return this.raft.role;
  }

  /** The leader this node knows of, or NO_NODE. */
  get leader(): NodeId {
    return this.raft.lead;
  }

  get commitIndex(): LogIndex {
    return this.raft.log.committed;
  }

  tick(): void {
    this.raft.tick();
  }

  /**
   * Delivers a message from a peer. Messages addressed to another node are ignored. Returns why
   * the message was dropped unchanged when no real peer could have sent it (forged or corrupt):
   * the driver counts it; the node's state is as before.
   */
  step(m: Message): RaftDropReason | undefined {
    return this.raft.step(m);
  }

  /** Starts an election now, as an election timeout would. */
  campaign(): void {
    this.raft.campaign();
  }

  /** Appends commands to the leader's log; refused with the known leader on other nodes. */
  propose(data: readonly Uint8Array[]): ProposeResult {
    return this.raft.propose(data);
  }

  proposeConfChange(cc: ConfChange): ProposeResult {
    return this.raft.proposeConfChange(cc);
  }

  readIndex(requestId: number): OpResult {
    return this.raft.readIndex(requestId);
  }

  transferLeadership(to: NodeId): OpResult {
    return this.raft.transferLeadership(to);
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  /**
   * The transport must call this exactly once for every snapshot message it was given: ok when
   * the follower received it whole, not ok when the send failed. Until then the leader sends
   * that follower nothing else.
   */
  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  /** The membership in force at `index` (for snapshots taken at an applied index). */
  confStateAt(index: LogIndex): ConfState {
    return this.raft.confs.at(index);
  }

  hasReady(): boolean {
    if (this.inFlight !== undefined) return false;
    const r = this.raft;
    r.flush();
    return (
      r.msgs.length > 0 ||
      r.readStates.length > 0 ||
      r.log.unstable.hasNewEntries() ||
      r.log.unstable.newSnapshot() !== undefined ||
      r.log.hasNextCommittedEntries() ||
      r.lead !== this.prevSoft.leader ||
      r.role !== this.prevSoft.role ||
      !sameHardState(this.hardState(), this.prevHard)
    );
  }

  ready(): Ready {
    invariant(this.inFlight === undefined, 'ready() called again before advance()');
    const r = this.raft;
    r.flush();
    const unstable = r.log.unstable;
    const entries = unstable.newEntries();
    const snapshot = unstable.newSnapshot();
    const committedEntries = r.log.nextCommittedEntries(r.cfg.maxCommittedSizePerReady);
    const hs = this.hardState();
    const hardState = sameHardState(hs, this.prevHard) ? undefined : hs;
    let softState: SoftState | undefined;
    if (r.lead !== this.prevSoft.leader || r.role !== this.prevSoft.role) {
      softState = { leader: r.lead, role: r.role };
      this.prevSoft = softState;
    }
    const messages = r.msgs;
    const readStates = r.readStates;
    r.msgs = [];
    r.readStates = [];
    unstable.acceptInProgress();
    const lastCommitted = committedEntries.length > 0 ? committedEntries[committedEntries.length - 1]!.index : undefined;
    if (lastCommitted !== undefined) r.log.acceptApplying(lastCommitted);
    const lastEntry = entries.length > 0 ? entries[entries.length - 1]! : undefined;
    this.inFlight = {
      hardState,
      lastEntry: lastEntry === undefined ? undefined : { index: lastEntry.index, term: lastEntry.term },
      snapshotIndex: snapshot?.meta.index,
      appliedTo: lastCommitted ?? snapshot?.meta.index,
    };
    const mustSync = entries.length > 0 || snapshot !== undefined || (hardState !== undefined && (hardState.term !== this.prevHard.term || hardState.vote !== this.prevHard.vote));
    return { softState, hardState, entries, snapshot, committedEntries, messages, readStates, mustSync };
  }

  /**
   * While a Ready is in flight, the messages a leader may send before that write lands
   * (appends and heartbeats, see the contract), taken out of the next Ready. Empty unless this
   * node leads in a term already durable (advance()d), so nothing that depends on the write in
   * flight (a vote, an acknowledgement, a new term) ever leaves early. The driver calls it on
   * ticks and messages during a slow write: heartbeats keep the followers from electing
   * another leader while the leader's fsync stalls.
   */
  takeLeaderMessages(): Message[] {
    const r = this.raft;
    if (r.role !== 'leader' || r.term !== this.prevHard.term || r.msgs.length === 0) return [];
    const early: Message[] = [];
    const rest: Message[] = [];
    for (const m of r.msgs) (mayLeaveBeforePersist(m) ? early : rest).push(m);
    r.msgs = rest;
    return early;
  }

  /** Confirms that the last Ready was handled as its contract says. */
  advance(): void {
    const f = this.inFlight;
    invariant(f !== undefined, 'advance() without a Ready in flight');
    this.inFlight = undefined;
    const r = this.raft;
    if (f.hardState !== undefined) this.prevHard = f.hardState;
    if (f.snapshotIndex !== undefined) r.log.unstable.stableSnapTo(f.snapshotIndex);
    if (f.lastEntry !== undefined) r.persisted(f.lastEntry.index, f.lastEntry.term);
    if (f.appliedTo !== undefined) r.log.appliedTo(f.appliedTo);
    r.confs.prune(Math.min(r.log.firstIndex() - 1, r.log.applied));
  }

  status(): RaftStatus {
    const r = this.raft;
    const peers: PeerStatus[] = [];
    if (r.role === 'leader') {
      const voters = r.conf().voters;
      for (const [id, pr] of r.progress) {
        const membership = voters.includes(id) ? 'voter' : r.leaving.has(id) ? 'leaving' : 'learner';
        peers.push({ id, membership, match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive });
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      leader: r.lead,
      role: r.role,
      commit: r.log.committed,
      applied: r.log.applied,
      firstIndex: r.log.firstIndex(),
      lastIndex: r.log.lastIndex(),
      conf: r.conf(),
      leadTransferee: r.leadTransferee,
      peers,
    };
  }

  /** Entries in [lo, hi) of this node's log, durable or not (for tests and diagnostics). */
  entries(lo: LogIndex, hi: LogIndex): readonly Entry[] | undefined {
    return this.raft.log.slice(lo, hi);
  }

  termAt(index: LogIndex): Term | undefined {
    return this.raft.log.term(index);
  }

  private hardState(): HardState {
    const r = this.raft;
    return { term: r.term, vote: r.vote, commit: r.log.committed };
  }
}

/** A leader's message that promises nothing about its own log (see the Ready contract). */
export function mayLeaveBeforePersist(m: Message): boolean {
  return m.type === 'app' || m.type === 'heartbeat';
}
