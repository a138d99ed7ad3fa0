import { anyRangeHolds, type KeyRange } from './key-range.js';

interface Group<T> {
  readonly ranges: readonly KeyRange[];
  readonly members: Set<T>;
}

/**
 * Members (watch subscriptions) indexed by the key ranges they follow, so a changed key is
 * matched once per distinct set of ranges, not once per watcher: ten thousand watchers of a
 * hundred services cost a hundred range checks per change, and a watcher of one exact key costs
 * a map lookup. (etcd keeps single keys in a map and ranges in an interval tree; many watchers
 * of the same thing is the common case in a registry, so grouping identical ranges is what pays.)
 */
export class RangeIndex<T> {
  /** Groups whose ranges are one exact key, by that key. */
  private readonly exact = new Map<string, Group<T>>();
  /** Every other group, by its ranges' signature. */
  private readonly ranged = new Map<string, Group<T>>();
  private readonly groupOf = new Map<T, { map: Map<string, Group<T>>; sig: string }>();

  get size(): number {
    return this.groupOf.size;
  }

  add(member: T, ranges: readonly KeyRange[]): void {
    if (this.groupOf.has(member)) return;
    const single = ranges.length === 1 && ranges[0]!.end === undefined;
    const map = single ? this.exact : this.ranged;
    const sig = single ? hex(ranges[0]!.start) : signature(ranges);
    let g = map.get(sig);
    if (g === undefined) {
      g = { ranges, members: new Set() };
      map.set(sig, g);
    }
    g.members.add(member);
    this.groupOf.set(member, { map, sig });
  }

  delete(member: T): void {
    const at = this.groupOf.get(member);
    if (at === undefined) return;
    this.groupOf.delete(member);
    const g = at.map.get(at.sig)!;
    g.members.delete(member);
    if (g.members.size === 0) at.map.delete(at.sig);
  }

  /** Calls `visit` for every member following `key`. */
  forEachHolding(key: Uint8Array, visit: (member: T) => void): void {
    // Most writes are followed by nobody: no key to build then.
    const g = this.exact.size === 0 ? undefined : this.exact.get(hex(key));
    if (g !== undefined) for (const m of g.members) visit(m);
    for (const r of this.ranged.values()) if (anyRangeHolds(r.ranges, key)) for (const m of r.members) visit(m);
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function signature(ranges: readonly KeyRange[]): string {
  return ranges.map((r) => `${hex(r.start)}-${r.end === undefined ? '=' : hex(r.end)}`).join(',');
}
