import { byteString, compareBytes } from './bytes.js';
import type { KvEntry, KvOp, OrderedKvReader, ScanRange } from './ordered-kv.js';

/**
 * Bytes of backend reads kept per batch at most; past them a read goes to the backend each time
 * (a lease revoke reads every key attached to it: those must not all stay in memory at once).
 */
const READ_CACHE_BYTES = 8 << 20;

/** A pending write: a value, or undefined for a delete. */
interface Pending {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

interface UndoRecord {
  readonly id: string;
  readonly before: Pending | undefined;
}

function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The writes of one apply batch, not yet in the backend, layered over it: reads see the pending
 * writes first, so later commands of a batch see earlier ones; `ops()` is then written in one
 * atomic backend write.
 *
 * Pending writes are a Map keyed by byteString(key) (whose string order is byte order) plus a
 * sorted id list for scans. New ids are sorted and merged in lazily, at the next scan, so a run
 * of puts costs no ordering work until something needs order.
 *
 * One command may fail halfway (a txn whose third op hits a missing lease): begin() starts an
 * undo log, rollback() restores every pending write it touched, commit() keeps them.
 *
 * A scan snapshots the pending writes in its range when iteration starts, so the caller may
 * write while consuming it (a delete-range deletes what it scans) without disturbing it.
 */
export class OverlayKv implements OrderedKvReader {
  private readonly pending = new Map<string, Pending>();
  /** Sorted; may hold ids that a rollback removed from `pending` (skipped when read). */
  private sorted: string[] = [];
  /** Ids added since the last merge into `sorted`, unordered. */
  private unsorted: string[] = [];
  private undo: UndoRecord[] | undefined;
  /** Backend values read ahead for this batch (prefetch), by byteString(key). */
  private readonly cache = new Map<string, Uint8Array | undefined>();
  /** Bytes kept in `cache` by readThrough (prefetched values are the batch's own and not counted). */
  private readBytes = 0;

  constructor(private readonly base: OrderedKvReader) {}

  /**
   * Reads the given backend keys ahead, in one round trip where the backend allows: applying a
   * batch then needs no backend read per command for these keys.
   */
  async prefetch(keys: readonly Uint8Array[]): Promise<void> {
    const wanted = keys.filter((k) => !this.cache.has(byteString(k)));
    if (wanted.length === 0) return;
    const values = this.base.getMany !== undefined ? await this.base.getMany(wanted) : await Promise.all(wanted.map((k) => this.base.get(k)));
    for (let i = 0; i < wanted.length; i++) this.cache.set(byteString(wanted[i]!), values[i]);
  }

  /** Number of distinct keys written. */
  get size(): number {
    return this.pending.size;
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const id = byteString(key);
    const p = this.pending.get(id);
    if (p !== undefined) return Promise.resolve(p.value);
    if (this.cache.has(id)) return Promise.resolve(this.cache.get(id));
    return this.readThrough(id, key);
  }

  /**
   * A backend read kept for the rest of the batch: the backend does not change until the batch
   * is written, and a command reads the same record several times (to check it, to write it, to
   * build a view from it), so later reads are answered here.
   */
  private async readThrough(id: string, key: Uint8Array): Promise<Uint8Array | undefined> {
    const value = await this.base.get(key);
    const size = id.length + (value?.length ?? 0);
    if (this.readBytes + size <= READ_CACHE_BYTES) {
      this.readBytes += size;
      this.cache.set(id, value);
    }
    return value;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.set(key, value);
  }

  del(key: Uint8Array): void {
    this.set(key, undefined);
  }

  private set(key: Uint8Array, value: Uint8Array | undefined): void {
    const id = byteString(key);
    const before = this.pending.get(id);
    this.undo?.push({ id, before });
    if (before === undefined) this.unsorted.push(id);
    this.pending.set(id, { key, value });
  }

  begin(): void {
    this.undo = [];
  }

  commit(): void {
    this.undo = undefined;
  }

  rollback(): void {
    const undo = this.undo ?? [];
    for (let i = undo.length - 1; i >= 0; i--) {
      const { id, before } = undo[i]!;
      if (before === undefined) this.pending.delete(id);
      else this.pending.set(id, before);
    }
    this.undo = undefined;
  }

  /** The sorted ids of pending writes, merging in the ones added since the last call. */
  private sortedIds(): readonly string[] {
    if (this.unsorted.length === 0) return this.sorted;
    const fresh = this.unsorted.sort();
    const merged: string[] = [];
    let i = 0;
    let j = 0;
    while (i < this.sorted.length || j < fresh.length) {
      const a = this.sorted[i];
      const b = fresh[j];
      let next: string;
      if (b === undefined || (a !== undefined && a <= b)) {
        next = a!;
        i++;
      } else {
        next = b;
        j++;
      }
      // Drop duplicates (an id re-added after a rollback) and ids a rollback removed.
      if (merged[merged.length - 1] !== next && this.pending.has(next)) merged.push(next);
    }
    this.sorted = merged;
    this.unsorted = [];
    return merged;
  }

  /** Every pending write, in key order. */
  ops(): KvOp[] {
    const out: KvOp[] = [];
    for (const id of this.sortedIds()) {
      const p = this.pending.get(id);
      if (p === undefined) continue;
      out.push(p.value === undefined ? { type: 'del', key: p.key } : { type: 'put', key: p.key, value: p.value });
    }
    return out;
  }

  async *scan(range: ScanRange): AsyncIterable<KvEntry> {
    const ids = this.sortedIds();
    const mine: Pending[] = [];
    for (let i = lowerBound(ids, byteString(range.gte)), end = lowerBound(ids, byteString(range.lt)); i < end; i++) {
      const p = this.pending.get(ids[i]!);
      if (p !== undefined) mine.push(p);
    }
    if (mine.length === 0) {
      yield* this.base.scan(range);
      return;
    }
    const reverse = range.reverse === true;
    if (reverse) mine.reverse();
    const limit = range.limit !== undefined && range.limit > 0 ? range.limit : Infinity;
    // Each pending write hides at most one backend entry: ask the backend for that many more.
    const baseLimit = limit === Infinity ? undefined : limit + mine.length;
    const it = this.base.scan({ gte: range.gte, lt: range.lt, reverse, ...(baseLimit !== undefined ? { limit: baseLimit } : {}) })[Symbol.asyncIterator]();
    try {
      let b = await it.next();
      let i = 0;
      let emitted = 0;
      while (emitted < limit) {
        const m = mine[i];
        if (b.done === true && m === undefined) break;
        let order: number;
        if (b.done === true) order = 1;
        else if (m === undefined) order = -1;
        else order = reverse ? compareBytes(m.key, b.value.key) : compareBytes(b.value.key, m.key);
        if (order < 0) {
          yield b.value;
          emitted++;
          b = await it.next();
          continue;
        }
        // The pending write comes first, or replaces the backend entry with the same key.
        if (order === 0) b = await it.next();
        i++;
        if (m!.value !== undefined) {
          yield { key: m!.key, value: m!.value };
          emitted++;
        }
      }
    } finally {
      await it.return?.();
    }
  }
}
