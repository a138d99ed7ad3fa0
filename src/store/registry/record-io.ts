import { bytesEqual } from '../kv/bytes.js';
import { getCurrent, scanCurrent } from '../kv/mvcc-read.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import type { KeyValue } from '../kv/types.js';
import type { WriteScope } from '../kv/write-scope.js';
import { decodeRecord, encodeRecord } from './records.js';

/** A decoded record with the revisions the MVCC store keeps for it. */
export interface Stored<T> {
  readonly record: T;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly lease: bigint;
}

function stored<T>(kv: KeyValue, what: string): Stored<T> {
  return { record: decodeRecord<T>(kv.value, what), createRevision: kv.createRevision, modRevision: kv.modRevision, lease: kv.lease };
}

export async function readRecord<T>(kv: OrderedKvReader, key: Uint8Array, what: string): Promise<Stored<T> | undefined> {
  const found = await getCurrent(kv, key);
  return found === undefined ? undefined : stored<T>(found, what);
}

/** Every record in [start, end), in key order, with its key. */
export async function* scanRecords<T>(kv: OrderedKvReader, range: { start: Uint8Array; end: Uint8Array }, what: string): AsyncIterable<Stored<T> & { key: Uint8Array }> {
  for await (const found of scanCurrent(kv, range.start, range.end)) yield { ...stored<T>(found, what), key: found.key };
}

/**
 * Writes a record as a new version of its key, unless it is byte-for-byte what is there with
 * the same lease (then nothing is written and nobody is woken), or `force` says to write anyway.
 * Returns whether it wrote.
 */
export async function writeRecord(scope: WriteScope, key: Uint8Array, record: object, opts: { lease?: bigint; force?: boolean } = {}): Promise<boolean> {
  const value = encodeRecord(record);
  const lease = opts.lease ?? 0n;
  const prev = await getCurrent(scope.kv, key);
  if (prev !== undefined && opts.force !== true && prev.lease === lease && bytesEqual(prev.value, value)) return false;
  const rev = scope.writeRevision;
  scope.recordPut({ key, value, lease, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1 }, prev);
  return true;
}

/** Deletes a record if it exists; returns what was there. */
export async function deleteRecord(scope: WriteScope, key: Uint8Array): Promise<KeyValue | undefined> {
  const prev = await getCurrent(scope.kv, key);
  if (prev !== undefined) scope.recordDelete(prev);
  return prev;
}
