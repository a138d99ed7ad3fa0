import type { KvEvent, RevisionEvents } from './types.js';

/**
 * The events of the last revisions the store applied, kept in memory as the apply wrote them
 * (with each change's previous value), so watches are fed without reading them back from disk.
 * It always holds a contiguous run of revisions ending at the store's revision; anything older
 * is read from the store's event log. Bounded in revisions and in bytes.
 */
export class RecentEvents {
  private groups: RevisionEvents[] = [];
  private bytes = 0;
  /** The first revision this holds every event of. */
  private start: number;

  constructor(
    revision: number,
    private readonly maxRevisions = 4096,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {
    this.start = revision + 1;
  }

  /** Records the revisions one batch wrote (in order, following the previous ones). */
  add(groups: readonly RevisionEvents[]): void {
    for (const g of groups) {
      this.groups.push(g);
      this.bytes += sizeOf(g.events);
    }
    while (this.groups.length > 0 && (this.groups.length > this.maxRevisions || this.bytes > this.maxBytes)) {
      const old = this.groups.shift()!;
      this.bytes -= sizeOf(old.events);
      this.start = old.revision + 1;
    }
  }

  /** Forgets everything up to `revision` (the store moved on without us, e.g. a snapshot). */
  resetTo(revision: number): void {
    this.groups = [];
    this.bytes = 0;
    this.start = revision + 1;
  }

  /** The events of revisions >= from, at most `limit` revisions (<= 0: all), or undefined if not all held. */
  get(from: number, limit: number): RevisionEvents[] | undefined {
    if (from < this.start) return undefined;
    let lo = 0;
    let hi = this.groups.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.groups[mid]!.revision < from) lo = mid + 1;
      else hi = mid;
    }
    return limit > 0 ? this.groups.slice(lo, lo + limit) : this.groups.slice(lo);
  }
}

function sizeOf(events: readonly KvEvent[]): number {
  let n = 0;
  for (const e of events) n += 64 + e.kv.key.length + e.kv.value.length + (e.prev === undefined || e.prev === null ? 0 : e.prev.key.length + e.prev.value.length);
  return n;
}
