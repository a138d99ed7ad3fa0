import { RosterError } from '../../util/errors.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import type { KeyValue } from './types.js';

/**
 * The values stored under the keys of layout.ts, in the binary format of binary.ts. A record
 * that does not decode throws RosterError 'CORRUPT': the store cannot continue on it.
 */

/** 2: keys carry a namespace byte (namespace.ts); leases are stored. */
const LAYOUT_VERSION = 2;

const KIND_PUT = 1;
const KIND_TOMBSTONE = 2;

/** A stored version of a key: 'k' entries are always puts, 'h' entries may be tombstones. */
export type StoredVersion = { readonly kind: 'put'; readonly kv: KeyValue } | { readonly kind: 'tombstone' };

/**
 * put       = u8 1, uvarint createRevision, uvarint modRevision, uvarint version, i64 lease, value (rest)
 * tombstone = u8 2
 * The user key is not repeated: it is in the storage key.
 */
export function encodeKeyValueRecord(kv: KeyValue): Uint8Array {
  const w = new BinaryWriter(kv.value.length + 24);
  w.u8(KIND_PUT).uvarint(kv.createRevision).uvarint(kv.modRevision).uvarint(kv.version).i64(kv.lease).raw(kv.value);
  return w.finish();
}

export const TOMBSTONE_RECORD: Uint8Array = Uint8Array.of(KIND_TOMBSTONE);

export function decodeVersionRecord(userKey: Uint8Array, bytes: Uint8Array): StoredVersion {
  const r = new BinaryReader(bytes, 'CORRUPT', 'kv record');
  const kind = r.u8();
  if (kind === KIND_TOMBSTONE) {
    r.end();
    return { kind: 'tombstone' };
  }
  if (kind !== KIND_PUT) r.fail(`unknown kind ${kind}`);
  const createRevision = r.uvarint();
  const modRevision = r.uvarint();
  const version = r.uvarint();
  const lease = r.i64();
  const value = r.raw(r.remaining);
  return { kind: 'put', kv: { key: userKey, createRevision, modRevision, version, value, lease } };
}

/** A record that must be a put ('k' entries). */
export function decodeKeyValueRecord(userKey: Uint8Array, bytes: Uint8Array): KeyValue {
  const version = decodeVersionRecord(userKey, bytes);
  if (version.kind !== 'put') throw new RosterError('CORRUPT', 'kv record: tombstone where a value was expected');
  return version.kv;
}

/** event = u8 type (1 put, 2 delete), uvarint prevModRevision, user key (rest). */
export interface EventRecord {
  readonly type: 'put' | 'delete';
  readonly key: Uint8Array;
  readonly prevModRevision: number;
}

export function encodeEventRecord(e: EventRecord): Uint8Array {
  const w = new BinaryWriter(e.key.length + 8);
  w.u8(e.type === 'put' ? 1 : 2).uvarint(e.prevModRevision).raw(e.key);
  return w.finish();
}

export function decodeEventRecord(bytes: Uint8Array): EventRecord {
  const r = new BinaryReader(bytes, 'CORRUPT', 'event record');
  const t = r.u8();
  if (t !== 1 && t !== 2) r.fail(`unknown event type ${t}`);
  const prevModRevision = r.uvarint();
  return { type: t === 1 ? 'put' : 'delete', prevModRevision, key: r.raw(r.remaining) };
}

/** What the store persists about itself, always in the same write as the data it describes. */
export interface StoreMeta {
  readonly revision: number;
  readonly compactRevision: number;
  readonly appliedIndex: number;
}

/** meta = u8 LAYOUT_VERSION, uvarint revision, uvarint compactRevision, uvarint appliedIndex. */
export function encodeMeta(m: StoreMeta): Uint8Array {
  return new BinaryWriter(16).u8(LAYOUT_VERSION).uvarint(m.revision).uvarint(m.compactRevision).uvarint(m.appliedIndex).finish();
}

export function decodeMeta(bytes: Uint8Array): StoreMeta {
  const r = new BinaryReader(bytes, 'CORRUPT', 'kv store meta');
  const version = r.u8();
  if (version !== LAYOUT_VERSION) r.fail(`layout version ${version}, this build reads ${LAYOUT_VERSION}`);
  const meta = { revision: r.uvarint(), compactRevision: r.uvarint(), appliedIndex: r.uvarint() };
  r.end();
  return meta;
}

/** Whether a stored version record is a tombstone, without decoding it. */
export function isTombstoneRecord(bytes: Uint8Array): boolean {
  return bytes.length === 1 && bytes[0] === KIND_TOMBSTONE;
}
