import { invariant } from '../util/assert.js';
import type { LogIndex } from '../util/ids.js';
import { applyConfChange, decodeConfChange } from './conf-change.js';
import type { ConfState, Entry } from './types.js';

/**
 * The membership in force at each point of one node's log.
 *
 * Rule (dissertation §4.1): a server uses the latest configuration in its log, whether or not
 * that entry is committed. A configuration therefore takes effect when its entry is appended and
 * is undone if the entry is truncated by a new leader. Because each configuration differs from
 * the previous one by a single voter, a majority of the old and a majority of the new voters
 * always share a server, so two leaders can never be elected in one term by disjoint majorities,
 * whichever of the two configurations each side uses.
 *
 * The leader adds two rules (enforced in Raft.proposeConfChange):
 * 1. at most one uncommitted configuration entry in its log, so configurations change by one
 *    server at a time along every log;
 * 2. no configuration change until an entry of its own term is committed. Without it, a leader
 *    could append C2 while a previous leader's uncommitted C1 still exists elsewhere; C1 and C2
 *    each differ from C0 by one server but may differ from each other by two, and their majorities
 *    need not overlap (Ongaro, raft-dev, "bug in single-server membership changes", 2015).
 */
export class ConfHistory {
  /** Configurations in log order; the first is the one recorded in the latest snapshot. */
  private configs: { index: LogIndex; conf: ConfState }[];

  constructor(snapshotIndex: LogIndex, conf: ConfState) {
    this.configs = [{ index: snapshotIndex, conf }];
  }

  current(): ConfState {
    return this.configs[this.configs.length - 1]!.conf;
  }

  /** The index of the entry that set the current configuration. */
  currentIndex(): LogIndex {
    return this.configs[this.configs.length - 1]!.index;
  }

  /** The configuration in force at `index` (the latest one set at or before it). */
  at(index: LogIndex): ConfState {
    for (let i = this.configs.length - 1; i >= 0; i--) {
      const c = this.configs[i]!;
      if (c.index <= index) return c.conf;
    }
    invariant(false, () => `no configuration known at index ${index} (oldest ${this.configs[0]!.index})`);
  }

  /**
   * Records the configuration entries among `ents`, which were just appended to the log; any
   * configuration from an index they replaced is dropped first. Returns whether the current
   * configuration changed.
   */
  appended(ents: readonly Entry[]): boolean {
    if (ents.length === 0) return false;
    const before = this.current();
    this.truncateFrom(ents[0]!.index);
    for (const e of ents) {
      if (e.kind === 'conf') this.configs.push({ index: e.index, conf: applyConfChange(this.current(), decodeConfChange(e.data)) });
    }
    return this.current() !== before;
  }

  /** Forgets configurations set at `index` or later (their entries were truncated). */
  private truncateFrom(index: LogIndex): void {
    while (this.configs.length > 1 && this.configs[this.configs.length - 1]!.index >= index) this.configs.pop();
    invariant(this.configs[0]!.index < index, () => `truncating at ${index} below the snapshot configuration`);
  }

  /**
   * Continues the history from a snapshot. Configurations up to `committed` stay: they are part
   * of the committed prefix the snapshot extends, and the driver may still be applying entries
   * below the snapshot and ask for them.
   */
  restore(snapshotIndex: LogIndex, conf: ConfState, committed: LogIndex): void {
    while (this.configs.length > 1 && this.configs[this.configs.length - 1]!.index > committed) this.configs.pop();
    if (this.configs[0]!.index > committed) this.configs = [];
    this.configs.push({ index: snapshotIndex, conf });
  }

  /** Drops configurations that no index >= `floor` can need. */
  prune(floor: LogIndex): void {
    let keep = 0;
    while (keep + 1 < this.configs.length && this.configs[keep + 1]!.index <= floor) keep++;
    if (keep > 0) this.configs = this.configs.slice(keep);
  }
}
