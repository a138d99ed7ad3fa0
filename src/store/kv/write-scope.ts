import { currentKey, eventKey, historyKey } from './layout.js';
import type { OverlayKv } from './overlay-kv.js';
import type { ReadView } from './range.js';
import { encodeEventRecord, encodeKeyValueRecord, TOMBSTONE_RECORD } from './records.js';
import type { KeyValue } from './types.js';

/** Who knows which leases exist. Leases arrive later; until then none does. */
export interface LeaseLookup {
  exists(id: bigint): boolean;
}

export const NO_LEASES: LeaseLookup = { exists: () => false };

/**
 * One command while it executes: the revision it started from, the writes it made so far, and
 * where they go. Every write of the command shares main revision baseRevision + 1 and takes the
 * next sub-revision, as in etcd's storeTxnWrite; the store revision moves only if it wrote.
 */
export class WriteScope {
  /** Writes so far: the next write's sub-revision. */
  changes = 0;

  constructor(
    readonly kv: OverlayKv,
    readonly baseRevision: number,
    readonly compactRevision: number,
    readonly leases: LeaseLookup,
  ) {}

  /** The main revision of every write of this command. */
  get writeRevision(): number {
    return this.baseRevision + 1;
  }

  /** The store revision as this command has left it so far. */
  get revision(): number {
    return this.changes > 0 ? this.baseRevision + 1 : this.baseRevision;
  }

  /** What a range inside this command reads: its own earlier writes included. */
  readView(): ReadView {
    return { kv: this.kv, currentRevision: this.revision, maxRevision: this.baseRevision, compactRevision: this.compactRevision };
  }

  /** Stores `kv` (modRevision = writeRevision) as the key's latest version, in history, and as an event. */
  recordPut(kv: KeyValue, prevModRevision: number): void {
    const sub = this.changes++;
    const record = encodeKeyValueRecord(kv);
    this.kv.put(currentKey(kv.key), record);
    this.kv.put(historyKey(kv.key, kv.modRevision, sub), record);
    this.kv.put(eventKey(kv.modRevision, sub), encodeEventRecord({ type: 'put', key: kv.key, prevModRevision }));
  }

  /** Deletes the live key `prev`: gone from the current keyspace, a tombstone in history, an event. */
  recordDelete(prev: KeyValue): void {
    const sub = this.changes++;
    const rev = this.writeRevision;
    this.kv.del(currentKey(prev.key));
    this.kv.put(historyKey(prev.key, rev, sub), TOMBSTONE_RECORD);
    this.kv.put(eventKey(rev, sub), encodeEventRecord({ type: 'delete', key: prev.key, prevModRevision: prev.modRevision }));
  }
}
