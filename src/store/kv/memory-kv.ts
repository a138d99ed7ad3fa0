import { compareBytes, copyBytes } from './bytes.js';
import type { KvEntry, KvOp, OrderedKv, ScanRange } from './ordered-kv.js';

/**
 * An in-memory OrderedKv for tests: one sorted array of entries, binary search, byte order.
 *
 * It copies keys and values on the way in so a caller reusing a buffer cannot change what is
 * stored. `write` is atomic because it runs without an await: no other code can observe it half
 * done. A scan reads a snapshot taken when iteration starts, like a LevelDB iterator, so writes
 * made while a scan is being consumed do not disturb it.
 */
export class MemoryOrderedKv implements OrderedKv {
  private entries: KvEntry[] = [];

  /** Index of the first entry whose key is >= key. */
  private lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.entries[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get size(): number {
    return this.entries.length;
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const i = this.lowerBound(key);
    const entry = this.entries[i];
    return Promise.resolve(entry !== undefined && compareBytes(entry.key, key) === 0 ? entry.value : undefined);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the in-memory twin of an async interface: nothing to wait for
  async *scan(range: ScanRange): AsyncIterable<KvEntry> {
    if (compareBytes(range.gte, range.lt) >= 0) return;
    const start = this.lowerBound(range.gte);
    const end = this.lowerBound(range.lt);
    const slice = this.entries.slice(start, end);
    if (range.reverse === true) slice.reverse();
    const limit = range.limit !== undefined && range.limit > 0 ? range.limit : slice.length;
    for (let i = 0; i < slice.length && i < limit; i++) yield slice[i]!;
  }

  write(ops: readonly KvOp[]): Promise<void> {
    for (const op of ops) {
      const i = this.lowerBound(op.key);
      const found = i < this.entries.length && compareBytes(this.entries[i]!.key, op.key) === 0;
      if (op.type === 'put') {
        const entry = { key: copyBytes(op.key), value: copyBytes(op.value) };
        if (found) this.entries[i] = entry;
        else this.entries.splice(i, 0, entry);
      } else if (found) {
        this.entries.splice(i, 1);
      }
    }
    return Promise.resolve();
  }

  /** Every entry in key order (tests inspect the layout with it). */
  dump(): readonly KvEntry[] {
    return this.entries.slice();
  }
}
