import type { Entry, ReadState } from '../../src/raft/index.js';
import { NO_NODE, type NodeId } from '../../src/util/ids.js';
import type { Rng } from '../../src/util/rng.js';
import type { SafetyChecker } from './checker.js';
import type { SimMember } from './sim-member.js';
import type { WriteCodec } from './write-codec.js';


/** One attempt of a logical write: a proposal accepted at (index, term) on `node`. */
interface Attempt {
  readonly payload: string;
  readonly node: NodeId;
  readonly epoch: number;
  readonly index: number;
  readonly term: number;
  readonly deadline: number;
}

/** A client write, retried (as a new attempt with a new payload) until acknowledged. */
interface LogicalWrite {
  readonly id: number;
  attempts: number;
  current: Attempt | undefined;
  nextTryAt: number;
}

interface PendingRead {
  readonly node: NodeId;
  readonly epoch: number;
  /** The highest log index of a write acknowledged before this read began. */
  readonly mustSee: number;
  readonly deadline: number;
}

export interface WorkloadStats {
  writesAcked: number;
  attemptsFailed: number;
  proposalsRefused: number;
  readsServed: number;
  readsRefused: number;
  readsTimedOut: number;
}

/**
 * The simulated clients. Writes go to the node believed to be leader (sometimes to a random
 * node, which refuses with a leader hint); an attempt is acknowledged when its proposer
 * applies its entry with the term it was proposed in. Reads use ReadIndex on any node.
 */
export class Workload {
  readonly stats: WorkloadStats = { writesAcked: 0, attemptsFailed: 0, proposalsRefused: 0, readsServed: 0, readsRefused: 0, readsTimedOut: 0 };
  private nextWriteId = 1;
  private nextReadId = 1;
  private readonly writes = new Map<number, LogicalWrite>();
  /** payload -> logical write, for attempts in flight. */
  private readonly byPayload = new Map<string, LogicalWrite>();
  private readonly reads = new Map<number, PendingRead>();
  private leaderHint: NodeId = NO_NODE;
  private maxAckedIndex = 0;

  constructor(
    private readonly rng: Rng,
    private readonly checker: SafetyChecker,
    private readonly timeoutMs: number,
    private readonly codec: WriteCodec,
  ) {}

  outstandingWrites(): number {
    return this.writes.size;
  }

  describeOutstanding(): string {
    return [...this.writes.values()]
      .slice(0, 5)
      .map((w) => `w${w.id} (attempt ${w.attempts}${w.current ? ` at ${w.current.node} index ${w.current.index} term ${w.current.term}` : ', waiting'})`)
      .join(', ');
  }

  newWrite(now: number): void {
    const w: LogicalWrite = { id: this.nextWriteId++, attempts: 0, current: undefined, nextTryAt: now };
    this.writes.set(w.id, w);
  }

  /** Retries due writes and expires timed-out attempts and reads. */
  poll(now: number, nodes: ReadonlyMap<NodeId, SimMember>): void {
    for (const w of this.writes.values()) {
      if (w.current !== undefined) {
        const target = nodes.get(w.current.node);
        const lost = target === undefined || target.epoch !== w.current.epoch || !target.up;
        if (lost || now >= w.current.deadline) this.failAttempt(w, now, lost ? 'proposer crashed' : 'timed out');
      }
      if (w.current === undefined && now >= w.nextTryAt) this.tryWrite(w, now, nodes);
    }
    for (const [id, r] of this.reads) {
      const target = nodes.get(r.node);
      if (now >= r.deadline || target === undefined || target.epoch !== r.epoch) {
        this.reads.delete(id);
        this.stats.readsTimedOut++;
      }
    }
  }

  private tryWrite(w: LogicalWrite, now: number, nodes: ReadonlyMap<NodeId, SimMember>): void {
    const target = this.pickTarget(nodes);
    if (target === undefined) {
      w.nextTryAt = now + 20;
      return;
    }
    w.attempts++;
    const payload = `w${w.id}.${w.attempts}`;
    const res = target.node!.propose([this.codec.encode(payload)]);
    if (!res.ok) {
      this.stats.proposalsRefused++;
      if (res.leader !== NO_NODE) this.leaderHint = res.leader;
      w.nextTryAt = now + 5 + this.rng.int(20);
      return;
    }
    this.leaderHint = target.id;
    w.current = { payload, node: target.id, epoch: target.epoch, index: res.index, term: res.term, deadline: now + this.timeoutMs };
    this.byPayload.set(payload, w);
    target.pump();
  }

  private failAttempt(w: LogicalWrite, now: number, _why: string): void {
    if (w.current !== undefined) this.byPayload.delete(w.current.payload);
    w.current = undefined;
    w.nextTryAt = now + this.rng.int(20);
    this.stats.attemptsFailed++;
  }

  private pickTarget(nodes: ReadonlyMap<NodeId, SimMember>): SimMember | undefined {
    const hinted = nodes.get(this.leaderHint);
    if (hinted !== undefined && hinted.up && this.rng.chance(0.8)) return hinted;
    const up = [...nodes.values()].filter((n) => n.up);
    return up.length === 0 ? undefined : this.rng.pick(up);
  }

  /** A node applied an entry: acknowledge the attempt if it is ours and kept its term. */
  onApplied(node: SimMember, e: Entry, now: number): void {
    const payload = e.kind === 'normal' ? this.codec.decode(e.data) : undefined;
    if (payload === undefined) return this.checkReplaced(node, e, now);
    const w = this.byPayload.get(payload);
    if (w === undefined || w.current === undefined || w.current.node !== node.id || w.current.epoch !== node.epoch) {
      return this.checkReplaced(node, e, now);
    }
    if (w.current.index === e.index && w.current.term === e.term) {
      this.byPayload.delete(payload);
      this.writes.delete(w.id);
      this.stats.writesAcked++;
      if (e.index > this.maxAckedIndex) this.maxAckedIndex = e.index;
      return;
    }
    this.checkReplaced(node, e, now);
  }

  /** An attempt whose index was filled by another entry on its proposer can never commit. */
  private checkReplaced(node: SimMember, e: Entry, now: number): void {
    for (const w of this.writes.values()) {
      const a = w.current;
      if (a !== undefined && a.node === node.id && a.epoch === node.epoch && a.index === e.index && a.term !== e.term) {
        this.failAttempt(w, now, 'replaced by a new leader');
      }
    }
  }

  /** A snapshot jumped the proposer past its attempts: their outcome is unknown, so retry. */
  onSnapshotRestored(node: SimMember, index: number, now: number): void {
    for (const w of this.writes.values()) {
      const a = w.current;
      if (a !== undefined && a.node === node.id && a.index <= index) this.failAttempt(w, now, 'covered by a snapshot');
    }
  }

  newRead(now: number, nodes: ReadonlyMap<NodeId, SimMember>): void {
    const up = [...nodes.values()].filter((n) => n.up);
    if (up.length === 0) return;
    const target = this.rng.pick(up);
    const id = this.nextReadId++;
    const res = target.node!.readIndex(id);
    if (!res.ok) {
      this.stats.readsRefused++;
      return;
    }
    this.reads.set(id, { node: target.id, epoch: target.epoch, mustSee: this.maxAckedIndex, deadline: now + this.timeoutMs });
    target.pump();
  }

  onReadServed(node: SimMember, rs: ReadState, appliedIndex: number): void {
    const r = this.reads.get(rs.requestId);
    if (r === undefined || r.node !== node.id) return;
    this.reads.delete(rs.requestId);
    this.checker.onReadServed(node.id, rs.requestId, r.mustSee, appliedIndex);
    this.stats.readsServed++;
  }
}
