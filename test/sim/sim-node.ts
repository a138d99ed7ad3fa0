import { type MemoryStorage, RaftNode, mayLeaveBeforePersist, type Entry, type HardState, type Message, type Ready, type ReadState } from '../../src/raft/index.js';
import type { NodeId } from '../../src/util/ids.js';
import type { Rng } from '../../src/util/rng.js';
import type { SafetyChecker } from './checker.js';
import { coreSettings, type Scenario } from './scenario.js';
import type { SimMember } from './sim-member.js';
import { PendingReads } from './pending-reads.js';
import { ListStateMachine } from './state-machine.js';

/** What a simulated node needs from the simulation around it. */
export interface SimHost {
  readonly now: number;
  readonly checker: SafetyChecker;
  readonly scenario: Scenario;
  /** Puts a message on the simulated network. */
  send(m: Message): void;
  /** Calls `fn` after `delayMs` of simulated time. */
  after(delayMs: number, fn: () => void): void;
  trace(line: string): void;
  /** A node applied an entry (the workload acknowledges writes from this). */
  onApplied(node: SimMember, e: Entry): void;
  /** A node restored a snapshot: proposals it covered have an unknown outcome. */
  onSnapshotRestored(node: SimMember, index: number): void;
  onReadServed(node: SimMember, rs: ReadState, appliedIndex: number): void;
  onBecameLeader(node: SimMember): void;
  /** A leader's Ready carries a commit index it just decided (and has told nobody yet). */
  onLeaderCommitDecided(node: SimMember): void;
  /** Whether `e` is on `id`'s disk (in its log or covered by its snapshot). */
  isDurable(id: NodeId, e: Entry): boolean;
}

/**
 * One simulated server: durable storage (a MemoryStorage that changes only when a simulated
 * disk write completes), the Raft core, and the driver loop that follows the Ready contract.
 * A crash discards the core, the state machine and any write still in flight.
 */
export class SimNode implements SimMember {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  /** The hard state as of the last fsynced write (what survives a power loss). */
  private syncedHardState: HardState;
  node: RaftNode | undefined;
  sm = new ListStateMachine();
  /** Bumped by every crash so that completions of lost writes are recognised and ignored. */
  epoch = 0;
  private writing = false;
  /** The leader's appends of the Ready being written were sent before the write. */
  private sentEarly = false;
  /** Confirmed reads waiting for the state machine to reach their index. */
  private readonly reads = new PendingReads();
  removed = false;
  /** Set by the fault schedule: crash as soon as this (new) leader decides its first commit. */
  crashAtFirstCommit = false;
  private lastCommitSeen = 0;

  constructor(
    id: NodeId,
    storage: MemoryStorage,
    private readonly host: SimHost,
    private readonly rng: Rng,
  ) {
    this.id = id;
    this.storage = storage;
    this.syncedHardState = storage.initialState().hardState;
  }

  /** Whether `e` survives a crash of this node: in its stored log or covered by its snapshot. */
  hasDurably(e: Entry): boolean {
    return this.storage.term(e.index) === e.term || this.storage.snapshot().meta.index >= e.index;
  }

  get up(): boolean {
    return this.node !== undefined;
  }

  start(): void {
    const s = this.host.scenario;
    const snap = this.storage.snapshot();
    this.node = new RaftNode({
      id: this.id,
      storage: this.storage,
      rng: this.rng.fork(),
      ...coreSettings(s),
      applied: snap.meta.index,
    });
    this.sm = ListStateMachine.decode(snap.data, snap.meta.index);
    this.lastCommitSeen = this.storage.initialState().hardState.commit;
    this.reads.clear();
    this.writing = false;
    const epoch = this.epoch;
    // Ticks start at a random phase so that nodes do not tick in lockstep.
    this.host.after(1 + this.rng.int(s.tickMs), () => this.tickLoop(epoch));
  }

  /** kill -9, or with `powerLoss` a machine failure that also loses unsynced writes. */
  crash(powerLoss: boolean): void {
    this.node = undefined;
    this.crashAtFirstCommit = false;
    this.epoch++;
    this.writing = false;
    this.reads.clear();
    if (powerLoss) {
      // Writes without mustSync only ever changed the commit index; it falls back to the
      // last fsynced value, never below the snapshot (taking one is a durable write).
      const snapIndex = this.storage.snapshot().meta.index;
      const hs = this.storage.initialState().hardState;
      this.storage.setHardState({ ...hs, commit: Math.max(this.syncedHardState.commit, snapIndex) });
    }
  }

  describeLog(): string {
    return `term ${this.node?.term ?? '?'}, log ${this.storage.firstIndex()}..${this.storage.lastIndex()}, commit ${this.node?.commitIndex ?? '?'}`;
  }

  private tickLoop(epoch: number): void {
    if (this.epoch !== epoch || this.node === undefined) return;
    this.node.tick();
    this.sendDuringWrite();
    this.pump();
    this.host.after(this.host.scenario.tickMs, () => this.tickLoop(epoch));
  }

  step(m: Message): void {
    if (this.node === undefined) return;
    this.node.step(m);
    this.sendDuringWrite();
    this.pump();
  }

  /** As the server's driver: while a write is under way, a leader's heartbeats and appends go now. */
  private sendDuringWrite(): void {
    if (this.node === undefined || !this.writing) return;
    for (const m of this.node.takeLeaderMessages()) this.host.send(m);
  }

  /** Starts handling the next Ready if none is being written. */
  pump(): void {
    const node = this.node;
    if (node === undefined || this.writing || !node.hasReady()) return;
    const rd = node.ready();
    const host = this.host;
    if (rd.softState?.role === 'leader') {
      host.checker.onLeaderElected(this.id, node.term, node);
      host.onBecameLeader(this);
    }
    host.checker.onEntriesAppended(this.id, rd.entries, node);
    if (rd.hardState !== undefined && rd.hardState.commit > this.lastCommitSeen) {
      const from = Math.max(this.lastCommitSeen + 1, node.status().firstIndex);
      const ents = node.entries(from, rd.hardState.commit + 1);
      if (ents !== undefined) {
        host.checker.onCommitted(this.id, ents);
        if (node.role === 'leader') host.checker.onLeaderCommitted(this.id, ents, node, (voter, e) => host.isDurable(voter, e));
      }
      this.lastCommitSeen = rd.hardState.commit;
    }
    if (node.role === 'leader' && rd.hardState !== undefined && rd.hardState.commit > this.storage.initialState().hardState.commit) {
      host.onLeaderCommitDecided(this);
      if (this.node === undefined) return; // crashed by the fault schedule: the Ready is lost
    }
    this.writing = true;
    const epoch = this.epoch;
    const s = host.scenario;
    // As the server's driver: a leader's appends and heartbeats leave before its own write completes.
    this.sentEarly = node.role === 'leader' && rd.messages.some(mayLeaveBeforePersist);
    if (this.sentEarly) for (const m of rd.messages) if (mayLeaveBeforePersist(m)) host.send(m);
    host.after(this.rng.between(s.diskMinMs, s.diskMaxMs), () => this.persisted(epoch, rd));
  }

  /** The simulated disk finished writing `rd`: the rest of the Ready contract follows. */
  private persisted(epoch: number, rd: Ready): void {
    if (this.epoch !== epoch || this.node === undefined) return; // crashed: the write is lost
    const node = this.node;
    // 1. Durable.
    if (rd.snapshot !== undefined) this.storage.applySnapshot(rd.snapshot);
    this.storage.append(rd.entries);
    if (rd.hardState !== undefined) {
      this.storage.setHardState(rd.hardState);
      if (rd.mustSync) this.syncedHardState = rd.hardState;
    }
    // 2. Send.
    for (const m of rd.messages) if (!(this.sentEarly && mayLeaveBeforePersist(m))) this.host.send(m);
    // 3. Apply.
    if (rd.snapshot !== undefined) {
      this.sm = ListStateMachine.decode(rd.snapshot.data, rd.snapshot.meta.index);
      this.host.checker.onSnapshotRestored(this.id, this.sm.index, this.sm.hash);
      this.host.onSnapshotRestored(this, this.sm.index);
    }
    for (const e of rd.committedEntries) {
      const before = this.sm.index;
      this.sm.apply(e);
      this.host.checker.onApplied(this.id, e, before, this.sm.hash);
      this.host.onApplied(this, e);
    }
    this.reads.add(rd.readStates);
    this.serveReads();
    // 4. Advance.
    node.advance();
    this.writing = false;
    this.maybeSnapshot(node);
    this.pump();
  }

  private serveReads(): void {
    this.reads.serve(this.sm.index, (rs) => this.host.onReadServed(this, rs, this.sm.index));
  }

  private maybeSnapshot(node: RaftNode): void {
    const s = this.host.scenario;
    const snapIndex = this.storage.snapshot().meta.index;
    if (this.sm.index - snapIndex < s.snapshotEvery) return;
    this.storage.createSnapshot(this.sm.index, node.confStateAt(this.sm.index), this.sm.encode());
    // Taking a snapshot is a synced write, and it makes the commit index it covers durable.
    this.syncedHardState = this.storage.initialState().hardState;
    const compactTo = this.sm.index - s.snapshotKeepTail;
    if (compactTo >= this.storage.firstIndex()) this.storage.compact(compactTo);
    this.host.trace(`${this.id} snapshot at ${this.sm.index}, log from ${this.storage.firstIndex()}`);
  }
}
