import { invariant } from '../util/assert.js';
import type { LogIndex, Term } from '../util/ids.js';
import type { Entry, Snapshot } from './types.js';

/**
 * The tail of the log (and possibly an incoming snapshot) not yet known to be durable.
 *
 * Entries move through three stages: new (appended, not yet handed to the driver), in progress
 * (handed out in the current Ready, being written), stable (the driver confirmed the write via
 * advance(), so they are dropped from here and served from storage).
 */
export class Unstable {
  snapshot: Snapshot | undefined = undefined;
  snapshotInProgress = false;
  entries: Entry[] = [];
  /** The index of entries[0]. */
  offset: LogIndex;
  /** Entries with index <= inProgress have been handed out for persistence in the current Ready. */
  inProgress: LogIndex;

  constructor(offset: LogIndex) {
    this.offset = offset;
    this.inProgress = offset - 1;
  }

  maybeFirstIndex(): LogIndex | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.meta.index + 1;
  }

  maybeLastIndex(): LogIndex | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === undefined ? undefined : this.snapshot.meta.index;
  }

  maybeTerm(index: LogIndex): Term | undefined {
    if (index < this.offset) {
      return this.snapshot !== undefined && this.snapshot.meta.index === index ? this.snapshot.meta.term : undefined;
    }
    const e = this.entries[index - this.offset];
    return e === undefined ? undefined : e.term;
  }

  /** Entries not yet handed to the driver. */
  newEntries(): Entry[] {
    const from = this.inProgress + 1 - this.offset;
    return from >= this.entries.length ? [] : this.entries.slice(Math.max(0, from));
  }

  hasNewEntries(): boolean {
    return this.inProgress + 1 - this.offset < this.entries.length;
  }

  /** The new snapshot, if one is waiting to be handed to the driver. */
  newSnapshot(): Snapshot | undefined {
    return this.snapshotInProgress ? undefined : this.snapshot;
  }

  /** Marks everything currently held as handed to the driver. */
  acceptInProgress(): void {
    if (this.entries.length > 0) this.inProgress = this.offset + this.entries.length - 1;
    if (this.snapshot !== undefined) this.snapshotInProgress = true;
  }

  /**
   * The driver made entries up to (index, term) durable. If the entry at `index` was replaced
   * in the meantime (a new leader overwrote it), nothing is marked stable: the replacement will be
   * handed out and written in a later Ready.
   */
  stableTo(index: LogIndex, term: Term): void {
    if (index < this.offset) return;
    if (this.maybeTerm(index) !== term) return;
    const drop = index + 1 - this.offset;
    this.entries = drop >= this.entries.length ? [] : this.entries.slice(drop);
    this.offset = index + 1;
    if (this.inProgress < this.offset - 1) this.inProgress = this.offset - 1;
  }

  stableSnapTo(index: LogIndex): void {
    if (this.snapshot !== undefined && this.snapshot.meta.index === index) {
      this.snapshot = undefined;
      this.snapshotInProgress = false;
    }
  }

  restore(snap: Snapshot): void {
    this.offset = snap.meta.index + 1;
    this.inProgress = snap.meta.index;
    this.entries = [];
    this.snapshot = snap;
    this.snapshotInProgress = false;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const from = ents[0]!.index;
    if (from === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e);
    } else if (from <= this.offset) {
      // Replaces everything unstable; storage entries from `from` on are stale and will be
      // overwritten when these are persisted.
      this.offset = from;
      this.entries = ents.slice();
    } else {
      invariant(from <= this.offset + this.entries.length, 'unstable append leaves a gap');
      this.entries = this.entries.slice(0, from - this.offset);
      for (const e of ents) this.entries.push(e);
    }
    if (this.inProgress > from - 1) this.inProgress = from - 1;
  }

  /** Entries in [lo, hi), which must lie within the unstable range. */
  slice(lo: LogIndex, hi: LogIndex): Entry[] {
    invariant(lo >= this.offset && hi <= this.offset + this.entries.length, () => `unstable.slice(${lo}, ${hi}) out of range`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
