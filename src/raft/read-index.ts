import type { LogIndex, NodeId } from '../util/ids.js';
import { majorityValue } from './quorum.js';

/** A read the leader has registered and not yet confirmed. */
export interface PendingRead {
  readonly seq: number;
  /** The commit index when the read arrived: the read must see at least this much. */
  readonly index: LogIndex;
  /** The node that asked (the leader itself for local reads). */
  readonly from: NodeId;
  readonly requestId: number;
}

/**
 * The leader's ReadIndex queue (Raft dissertation §6.4). Each read gets a sequence number; every
 * heartbeat carries the latest one; a follower echoes it back. Once a majority of voters have
 * echoed a number >= s, the leader knows it was still the leader after read s arrived, so read s
 * (and every earlier one) may be served at its recorded index.
 */
export class ReadIndexQueue {
  private seq = 0;
  private pending: PendingRead[] = [];
  private readonly acks = new Map<NodeId, number>();

  add(index: LogIndex, from: NodeId, requestId: number): number {
    this.seq++;
    this.pending.push({ seq: this.seq, index, from, requestId });
    return this.seq;
  }

  /** The last sequence number given out: no real follower echoes a higher one. */
  issued(): number {
    return this.seq;
  }

  /** The sequence number heartbeats should carry now (0 when no read waits). */
  lastSeq(): number {
    return this.pending.length === 0 ? 0 : this.seq;
  }

  ack(from: NodeId, seq: number): void {
    if (seq > (this.acks.get(from) ?? 0)) this.acks.set(from, seq);
  }

  /** Removes and returns the reads a majority of `voters` has confirmed. */
  takeConfirmed(voters: readonly NodeId[]): PendingRead[] {
    if (this.pending.length === 0) return [];
    const confirmed = majorityValue(voters, (id) => this.acks.get(id) ?? 0);
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.seq <= confirmed) n++;
    if (n === 0) return [];
    const done = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    return done;
  }

  size(): number {
    return this.pending.length;
  }

  /** Forgets everything: called on every role or term change, so stale reads never answer. */
  reset(): void {
    this.pending = [];
    this.acks.clear();
  }
}
