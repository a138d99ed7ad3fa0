import { RosterError } from '../../util/errors.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import { prefixEnd } from '../../util/prefix-end.js';
import { concatBytes, copyBytes } from './bytes.js';
import type { OrderedKvReader } from './ordered-kv.js';

/**
 * etcd's leases, in the same store and the same atomic batches as the keys they own.
 *
 *   'l' id               -> the lease: its granted TTL in seconds
 *   'L' id internalKey   -> '' : `internalKey` (any namespace) is attached to lease `id`
 *
 * `id` is the int64 as 8 bytes big-endian two's complement. A lease is not versioned: granting
 * or revoking one does not move the revision by itself (as in etcd); revoking deletes the keys
 * attached to it, and those deletes do. When a lease expires is not stored state at all: only
 * the leader tracks it, in memory, and expiry reaches the store as an ordinary revoke entry.
 */

export const PREFIX_LEASE = 0x6c; // 'l'
export const PREFIX_LEASE_ITEM = 0x4c; // 'L'

/** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
export const MAX_LEASE_TTL = 9_000_000_000;

function idBytes(id: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, id);
  return out;
}

export function leaseKey(id: bigint): Uint8Array {
  return concatBytes(Uint8Array.of(PREFIX_LEASE), idBytes(id));
}

function leaseItemsPrefix(id: bigint): Uint8Array {
  return concatBytes(Uint8Array.of(PREFIX_LEASE_ITEM), idBytes(id));
}

export function leaseItemKey(id: bigint, key: Uint8Array): Uint8Array {
  return concatBytes(leaseItemsPrefix(id), key);
}

function itemsRange(id: bigint): { gte: Uint8Array; lt: Uint8Array } {
  const gte = leaseItemsPrefix(id);
  // The prefix starts with 'L', so it always has an end.
  return { gte, lt: prefixEnd(gte)! };
}

export interface LeaseRecord {
  readonly id: bigint;
  /** The TTL it was granted with, in seconds. */
  readonly ttl: number;
}

export function encodeLeaseRecord(ttl: number): Uint8Array {
  return new BinaryWriter(8).uvarint(ttl).finish();
}

function decodeLease(id: bigint, bytes: Uint8Array): LeaseRecord {
  const r = new BinaryReader(bytes, 'CORRUPT', 'lease record');
  const ttl = r.uvarint();
  r.end();
  return { id, ttl };
}

function decodeLeaseKey(key: Uint8Array): bigint {
  if (key.length !== 9 || key[0] !== PREFIX_LEASE) throw new RosterError('CORRUPT', 'lease key of the wrong shape');
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getBigInt64(1);
}

export async function getLease(kv: OrderedKvReader, id: bigint): Promise<LeaseRecord | undefined> {
  const bytes = await kv.get(leaseKey(id));
  return bytes === undefined ? undefined : decodeLease(id, bytes);
}

/** Every lease, in id byte order. */
export async function* scanLeases(kv: OrderedKvReader): AsyncIterable<LeaseRecord> {
  for await (const e of kv.scan({ gte: Uint8Array.of(PREFIX_LEASE), lt: Uint8Array.of(PREFIX_LEASE + 1) })) {
    yield decodeLease(decodeLeaseKey(e.key), e.value);
  }
}

/** The stored keys (any namespace) attached to lease `id`. */
export async function* leaseItems(kv: OrderedKvReader, id: bigint): AsyncIterable<Uint8Array> {
  for await (const e of kv.scan(itemsRange(id))) yield copyBytes(e.key, 9);
}

