/**
 * The storage the MVCC store runs on: an ordered map of byte keys to byte values with atomic
 * batch writes. LevelDB implements it in production (src/store/leveldb), MemoryOrderedKv in
 * tests. The MVCC store owns the whole keyspace it is given; its layout is in layout.ts.
 */

export interface KvEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface ScanRange {
  readonly gte: Uint8Array;
  readonly lt: Uint8Array;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export interface OrderedKvReader {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * Several gets in one call, where the backend can do that in one round trip (LevelDB's
   * getMany: one hop to its thread pool instead of one per key).
   */
  getMany?(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** Entries with gte <= key < lt in byte order (or reverse), at most `limit`. */
  scan(range: ScanRange): AsyncIterable<KvEntry>;
}

export type KvOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

export interface OrderedKv extends OrderedKvReader {
  /** Applies all ops atomically (all or none). */
  write(ops: readonly KvOp[]): Promise<void>;
}
