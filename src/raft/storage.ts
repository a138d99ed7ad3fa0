import type { LogIndex, Term } from '../util/ids.js';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/**
 * What the core reads of durable state. Read-only to the core: every write leaves the core
 * through Ready and is made durable by the driver, which then calls advance().
 *
 * The log held by storage spans [firstIndex(), lastIndex()]; the entry just before firstIndex()
 * is covered by the latest snapshot, whose term is still answered by term(firstIndex() - 1).
 */
export interface RaftStorage {
  /**
   * The durable hard state, and the index and membership of the latest snapshot. The log may
   * still hold entries below the snapshot index (a tail kept for slow followers).
   */
  initialState(): { hardState: HardState; conf: ConfState; snapshotIndex: LogIndex };
  /** Entries in [lo, hi). Callers stay within [firstIndex(), lastIndex() + 1]. */
  entries(lo: LogIndex, hi: LogIndex, maxBytes?: number): Entry[];
  /** The term of entry `index`, or undefined if it is compacted or beyond the last index. */
  term(index: LogIndex): Term | undefined;
  firstIndex(): LogIndex;
  lastIndex(): LogIndex;
  /**
   * The latest snapshot, or undefined when none can be produced right now (the core then retries
   * on a later round).
   */
  snapshot(): Snapshot | undefined;
}
