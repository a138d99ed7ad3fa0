import { invariant } from '../util/assert.js';
import type { LogIndex } from '../util/ids.js';
import { Inflights } from './inflights.js';

/**
 * How the leader replicates to one follower:
 * - probe: the follower's log position is unknown; send one append per round trip (or per
 *   heartbeat) until one is accepted.
 * - replicate: the position is known; stream appends optimistically, up to the inflight window.
 * - snapshot: the follower needs a snapshot; send nothing until it is installed or fails.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** The leader's view of one follower. Invariant: 0 <= match < next. */
export class Progress {
  match: LogIndex = 0;
  next: LogIndex;
  state: ProgressState = 'probe';
  /** In snapshot state, the index of the snapshot being sent. */
  pendingSnapshot: LogIndex = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /**
   * Heard from during the round before. A round starts with only the leader active, so "who
   * answered recently" judged by the current round alone would see nobody for a heartbeat.
   */
  activeLastRound = false;
  /** In probe state: an append was sent and we wait for its answer (or the next heartbeat). */
  probeSent = false;
  readonly inflights: Inflights;

  constructor(next: LogIndex, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      // Resume right after the snapshot if it was installed, else from what we know.
      this.next = Math.max(this.match + 1, this.pendingSnapshot + 1);
    } else {
      this.next = this.match + 1;
    }
    this.state = 'probe';
    this.pendingSnapshot = 0;
    this.probeSent = false;
    this.inflights.reset();
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.next = this.match + 1;
    this.pendingSnapshot = 0;
    this.probeSent = false;
    this.inflights.reset();
  }

  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.state = 'snapshot';
    this.pendingSnapshot = snapshotIndex;
    this.probeSent = false;
    this.inflights.reset();
  }

  /** An append or snapshot acknowledged up to `index`. Returns whether match advanced. */
  maybeUpdate(index: LogIndex): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    if (this.next < index + 1) this.next = index + 1;
    return updated;
  }

  /**
   * The follower rejected an append at `rejected`; `hint` is the last index that may match.
   * Returns false when the rejection is stale (answers an older probe) and must be ignored.
   */
  maybeDecrTo(rejected: LogIndex, hint: LogIndex): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    invariant(this.next >= 1, 'next must stay positive');
    this.probeSent = false;
    return true;
  }

  /** Records an append ending at `lastIndex` as sent. */
  sentEntries(lastIndex: LogIndex, count: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /** No more appends may be sent now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
