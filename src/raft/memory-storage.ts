import { invariant } from '../util/assert.js';
import { NO_NODE, type LogIndex, type Term } from '../util/ids.js';
import type { RaftStorage } from './storage.js';
import { bootstrapSnapshot, BOOTSTRAP_INDEX, EMPTY_CONF, EMPTY_DATA, entrySize, type ConfState, type Entry, type HardState, type Snapshot } from './types.js';

/**
 * RaftStorage held in memory. It is the storage of the simulator and the benchmark, and the
 * model the LevelDB storage follows: `append`, `setHardState`, `applySnapshot`, `createSnapshot`
 * and `compact` are the driver's writes; the core only reads.
 *
 * Layout: `ents[0]` is a placeholder for the last compacted entry (only its index and term are
 * meaningful), so term(firstIndex() - 1) is always answerable.
 */
export class MemoryStorage implements RaftStorage {
  private hardState: HardState = { term: 0, vote: NO_NODE, commit: 0 };
  private snap: Snapshot;
  private ents: Entry[];

  /** An empty storage: a node that will join an existing cluster and learn everything from it. */
  constructor() {
    this.snap = { meta: { index: 0, term: 0, conf: EMPTY_CONF }, data: EMPTY_DATA };
    this.ents = [placeholder(0, 0)];
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
    const offset = this.ents[0]!.index;
    invariant(lo > offset, () => `entries(${lo}) below firstIndex ${offset + 1}`);
    invariant(hi <= this.lastIndex() + 1, () => `entries(.., ${hi}) beyond lastIndex ${this.lastIndex()}`);
    if (maxBytes === Infinity) return this.ents.slice(lo - offset, hi - offset);
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.ents[i - offset]!;
      size += entrySize(e);
      // Always return at least one entry so that progress is possible with oversized entries.
      if (out.length > 0 && size > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  term(index: LogIndex): Term | undefined {
    const offset = this.ents[0]!.index;
    if (index < offset || index > offset + this.ents.length - 1) return undefined;
    return this.ents[index - offset]!.term;
  }

  firstIndex(): LogIndex {
    return this.ents[0]!.index + 1;
  }

  lastIndex(): LogIndex {
    return this.ents[0]!.index + this.ents.length - 1;
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
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[entries.length - 1]!.index;
    if (last < first) return; // wholly compacted away already
    // Skip the part that is already compacted.
    const start = Math.max(0, first - entries[0]!.index);
    const from = entries[start]!.index;
    invariant(from <= this.lastIndex() + 1, () => `append leaves a gap: last ${this.lastIndex()}, new ${from}`);
    const offset = this.ents[0]!.index;
    this.ents.length = from - offset;
    for (let i = start; i < entries.length; i++) this.ents.push(entries[i]!);
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index <= this.snap.meta.index) return;
    this.snap = snap;
    this.ents = [placeholder(snap.meta.index, snap.meta.term)];
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
    const offset = this.ents[0]!.index;
    if (upTo <= offset) return;
    invariant(upTo <= this.snap.meta.index, () => `compact(${upTo}) beyond snapshot ${this.snap.meta.index}`);
    invariant(upTo <= this.lastIndex(), () => `compact(${upTo}) beyond lastIndex ${this.lastIndex()}`);
    const term = this.ents[upTo - offset]!.term;
    this.ents = [placeholder(upTo, term), ...this.ents.slice(upTo - offset + 1)];
  }
}

function placeholder(index: LogIndex, term: Term): Entry {
  return { index, term, kind: 'normal', data: EMPTY_DATA };
}
