import { invariant } from '../util/assert.js';
import type { LogIndex, Term } from '../util/ids.js';
import type { RaftStorage } from './storage.js';
import { entrySize, type Entry, type Snapshot } from './types.js';
import { Unstable } from './unstable.js';

/**
 * The log as one node sees it: the durable part in storage, the not-yet-durable tail in
 * `unstable`, and the commit and apply positions.
 *
 * Invariants: applied <= applying <= committed <= lastIndex; firstIndex - 1 <= applied.
 */
export class RaftLog {
  readonly storage: RaftStorage;
  readonly unstable: Unstable;
  committed: LogIndex;
  /** The highest index handed to the driver for applying (in the current Ready). */
  applying: LogIndex;
  /** The highest index the driver has applied. */
  applied: LogIndex;

  constructor(storage: RaftStorage, applied: LogIndex) {
    this.storage = storage;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    const init = storage.initialState();
    // The state machine is at least at the snapshot: the driver restores it from there.
    const floor = Math.max(first - 1, init.snapshotIndex);
    const start = Math.max(applied, floor);
    // Whatever was applied was committed: the stored commit index may lag it, because a Ready
    // that only moves the commit index need not be written (mustSync is false).
    this.committed = Math.max(init.hardState.commit, start);
    invariant(this.committed <= Math.max(last, floor), () => `commit ${this.committed} is beyond the last index ${last}`);
    this.applied = start;
    this.applying = start;
  }

  firstIndex(): LogIndex {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The term of entry `index`, or undefined if it is compacted or beyond the last index. */
  term(index: LogIndex): Term | undefined {
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    return this.unstable.maybeTerm(index) ?? this.storage.term(index);
  }

  lastTerm(): Term {
    const t = this.term(this.lastIndex());
    invariant(t !== undefined, 'the last entry has no term');
    return t;
  }

  matchTerm(index: LogIndex, term: Term): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: a candidate's log is at least as up-to-date as ours. */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /**
   * The index of the first entry of `ents` that conflicts with the log (different term, or
   * beyond our last index), or 0 if all of them are already present.
   */
  findConflict(ents: readonly Entry[]): LogIndex {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term (undefined if unknown,
   * e.g. compacted). Used on both sides of a rejected append to skip conflicting terms at once.
   */
  findConflictByTerm(index: LogIndex, term: Term): { index: LogIndex; term: Term | undefined } {
    for (let i = index; ; i--) {
      const t = this.term(i);
      if (t === undefined || t <= term) return { index: i, term: t };
    }
  }

  /** Appends entries, truncating any conflicting uncommitted suffix. Returns the new last index. */
  append(ents: readonly Entry[]): LogIndex {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    invariant(after >= this.committed, () => `append after ${after} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  commitTo(index: LogIndex): void {
    if (index <= this.committed) return;
    invariant(index <= this.lastIndex(), () => `commit ${index} is beyond the last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /**
   * Entries in [lo, hi), reading storage for the durable part and the unstable tail for the rest;
   * stops early once `maxBytes` is exceeded (always returning at least one entry). Returns
   * undefined if `lo` is compacted.
   */
  slice(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Entry[] | undefined {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) return undefined;
    invariant(hi <= this.lastIndex() + 1, () => `slice(${lo}, ${hi}) beyond last index ${this.lastIndex()}`);
    const uOffset = this.unstable.offset;
    let out: Entry[] = [];
    let size = 0;
    if (lo < uOffset) {
      out = this.storage.entries(lo, Math.min(hi, uOffset), maxBytes);
      if (maxBytes !== Infinity) for (const e of out) size += entrySize(e);
      if (out.length < Math.min(hi, uOffset) - lo) return out; // limited by size
    }
    if (hi > uOffset) {
      const from = Math.max(lo, uOffset);
      if (maxBytes === Infinity) {
        const tail = this.unstable.slice(from, hi);
        return out.length === 0 ? tail : out.concat(tail);
      }
      for (let i = from; i < hi; i++) {
        const e = this.unstable.entries[i - uOffset]!;
        size += entrySize(e);
        if (out.length > 0 && size > maxBytes) break;
        out.push(e);
      }
    }
    return out;
  }

  /** Committed entries not yet handed out for applying, up to `maxBytes`. */
  nextCommittedEntries(maxBytes: number): Entry[] {
    if (this.unstable.snapshot !== undefined) return []; // apply the snapshot first
    const lo = this.applying + 1;
    const hi = this.committed + 1;
    if (lo >= hi) return [];
    const ents = this.slice(lo, hi, maxBytes);
    invariant(ents !== undefined, () => `committed entries from ${lo} are compacted`);
    return ents;
  }

  hasNextCommittedEntries(): boolean {
    return this.unstable.snapshot === undefined && this.applying < this.committed;
  }

  /** The snapshot to send to a follower that is behind the compacted log. */
  snapshot(): Snapshot | undefined {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Replaces the log with a snapshot received from the leader. */
  restore(snap: Snapshot): void {
    this.committed = snap.meta.index;
    this.unstable.restore(snap);
  }

  acceptApplying(index: LogIndex): void {
    this.applying = index;
  }

  appliedTo(index: LogIndex): void {
    invariant(index <= this.committed, () => `applied ${index} beyond commit ${this.committed}`);
    this.applied = index;
    if (this.applying < index) this.applying = index;
  }

  /**
   * The last index known durable on this node: entries beyond it are in unstable and may even
   * replace stale ones still in storage.
   */
  lastStableIndex(): LogIndex {
    // While a received snapshot awaits persistence, nothing of the current log is confirmed.
    if (this.unstable.snapshot !== undefined) return 0;
    return Math.min(this.storage.lastIndex(), this.unstable.offset - 1);
  }
}
