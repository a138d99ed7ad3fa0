import { invariant } from '../util/assert.js';
import { NO_NODE, type LogIndex, type Term } from '../util/ids.js';
import type { RaftStorage } from './storage.js';
import { LogWindow } from './log-window.js';
import { bootstrapSnapshot, BOOTSTRAP_INDEX, EMPTY_CONF, EMPTY_DATA, type ConfState, type Entry, type HardState, type Snapshot } from './types.js';

/**
 * RaftStorage held in memory. It is the storage of the simulator and the benchmark, and the
 * model the LevelDB storage follows: `append`, `setHardState`, `applySnapshot`, `createSnapshot`
 * and `compact` are the driver's writes; the core only reads.
 *
 * The log is a LogWindow: term(firstIndex() - 1) stays answerable after compaction.
 */
export class MemoryStorage implements RaftStorage {
  private hardState: HardState = { term: 0, vote: NO_NODE, commit: 0 };
  private snap: Snapshot;
  private readonly log = new LogWindow(0, 0);

  /** An empty storage: a node that will join an existing cluster and learn everything from it. */
  constructor() {
    this.snap = { meta: { index: 0, term: 0, conf: EMPTY_CONF }, data: EMPTY_DATA };
  }

  /** The storage of a founding member of a new cluster (see bootstrapSnapshot). */
  static bootstrap(conf: ConfState): MemoryStorage {
    const s = new MemoryStorage();
    s.applySnapshot(bootstrapSnapshot(conf));
    s.setHardState({ term: BOOTSTRAP_INDEX, vote: NO_NODE, commit: BOOTSTRAP_INDEX });
    return s;
  }

  initialState(): { hardState: HardState; conf: ConfState; snapshotIndex: LogIndex } {
    return { hardState: this.hardState, conf: this.snap.meta.conf, snapshotIndex: this.snap.meta.index };
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Entry[] {
    return this.log.entries(lo, hi, maxBytes);
  }

  term(index: LogIndex): Term | undefined {
    return this.log.term(index);
  }

  firstIndex(): LogIndex {
    return this.log.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.log.lastIndex();
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  // ---- driver writes ----

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  /** Appends entries, replacing any existing suffix that they overlap. */
  append(entries: readonly Entry[]): void {
    this.log.append(entries);
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index <= this.snap.meta.index) return;
    this.snap = snap;
    this.log.reset(snap.meta.index, snap.meta.term);
  }

  /** Records a snapshot of the local state machine taken at applied index `index`. */
  createSnapshot(index: LogIndex, conf: ConfState, data: Uint8Array): Snapshot {
    invariant(index > this.snap.meta.index, () => `snapshot ${index} is not newer than ${this.snap.meta.index}`);
    const term = this.term(index);
    invariant(term !== undefined, () => `snapshot index ${index} is outside the log`);
    this.snap = { meta: { index, term, conf }, data };
    return this.snap;
  }

  /** Drops the log up to and including `upTo`, which a snapshot must already cover. */
  compact(upTo: LogIndex): void {
    if (upTo <= this.firstIndex() - 1) return;
    invariant(upTo <= this.snap.meta.index, () => `compact(${upTo}) beyond snapshot ${this.snap.meta.index}`);
    this.log.compact(upTo);
  }
}
