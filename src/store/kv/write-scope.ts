import { RosterError } from '../../util/errors.js';
import { currentKey, eventKey, historyKey } from './layout.js';
import { leaseItemKey } from './lease-layout.js';
import type { OverlayKv } from './overlay-kv.js';
import type { ReadView } from './range.js';
import { encodeEventRecord, encodeKeyValueRecord, TOMBSTONE_RECORD } from './records.js';
import type { KeyValue, KvEvent } from './types.js';

/**
 * What the store's other tables do when a lease that owns one of their records is revoked (a
 * registry instance attached to a lease is deregistered with its checks, not just deleted).
 */
export interface LeaseItemOwner {
  /** Removes the record stored at `key` (not a KV key) because `lease` was revoked; true if it existed. */
  revokeLeaseItem(scope: WriteScope, key: Uint8Array, lease: bigint): Promise<boolean>;
}

/** For a store with nothing but KV keys: no other record can be attached to a lease. */
export const KV_ONLY: LeaseItemOwner = {
  revokeLeaseItem: () => Promise.reject(new RosterError('CORRUPT', 'a lease owns a record of a namespace this store does not know')),
};

/**
 * One command while it executes: the revision it started from, the writes it made so far, and
 * where they go. Every write of the command shares main revision baseRevision + 1 and takes the
 * next sub-revision, as in etcd's storeTxnWrite; the store revision moves only if it wrote.
 */
export class WriteScope {
  /** Writes so far: the next write's sub-revision. */
  changes = 0;
  /** Set by a compaction: the store's new compact revision. */
  compactedTo: number | undefined;
  /** The changes this command made, in sub-revision order, with their previous values. */
  readonly events: KvEvent[] = [];

  constructor(
    readonly kv: OverlayKv,
    readonly baseRevision: number,
    readonly compactRevision: number,
    private readonly leaseItemOwner: LeaseItemOwner,
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

  /**
   * Stores `kv` (modRevision = writeRevision) as the key's latest version, in history, and as an
   * event; `prev` is the version it replaces (undefined when it creates the key). The lease index
   * follows the key from prev's lease to kv's.
   */
  recordPut(kv: KeyValue, prev: KeyValue | undefined): void {
    const sub = this.changes++;
    const record = encodeKeyValueRecord(kv);
    this.kv.put(currentKey(kv.key), record);
    this.kv.put(historyKey(kv.key, kv.modRevision, sub), record);
    this.kv.put(eventKey(kv.modRevision, sub), encodeEventRecord({ type: 'put', key: kv.key, prevModRevision: prev?.modRevision ?? 0 }));
    this.moveLeaseItem(kv.key, prev?.lease ?? 0n, kv.lease);
    this.events.push({ type: 'put', kv, prevModRevision: prev?.modRevision ?? 0, sub, prev: prev ?? null });
  }

  /** Deletes the live key `prev`: gone from the current keyspace, a tombstone in history, an event. */
  recordDelete(prev: KeyValue): void {
    const sub = this.changes++;
    const rev = this.writeRevision;
    this.kv.del(currentKey(prev.key));
    this.kv.put(historyKey(prev.key, rev, sub), TOMBSTONE_RECORD);
    this.kv.put(eventKey(rev, sub), encodeEventRecord({ type: 'delete', key: prev.key, prevModRevision: prev.modRevision }));
    this.moveLeaseItem(prev.key, prev.lease, 0n);
    this.events.push({ type: 'delete', kv: { key: prev.key, createRevision: 0, modRevision: rev, version: 0, value: new Uint8Array(0), lease: 0n }, prevModRevision: prev.modRevision, sub, prev });
  }

  /** Records that `key` moved from lease `from` to lease `to` (0n: none). */
  private moveLeaseItem(key: Uint8Array, from: bigint, to: bigint): void {
    if (from === to) return;
    if (from !== 0n) this.kv.del(leaseItemKey(from, key));
    if (to !== 0n) this.kv.put(leaseItemKey(to, key), new Uint8Array(0));
  }

  /** A revoked lease owns `key`, a record of another table: that table removes it. */
  revokeForeignItem(key: Uint8Array, lease: bigint): Promise<boolean> {
    return this.leaseItemOwner.revokeLeaseItem(this, key, lease);
  }
}
