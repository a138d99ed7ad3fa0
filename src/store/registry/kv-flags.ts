import { getCurrent } from '../kv/mvcc-read.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import type { WriteScope } from '../kv/write-scope.js';
import { kvFlagsKey } from './keys.js';
import { deleteRecord, readRecord, writeRecord } from './record-io.js';

/**
 * Consul's KV flags (an opaque uint64 that clients such as `consul lock` store with a value).
 * etcd's keys have no such field, so they live beside the key, in their own namespace, with the
 * mod revision of the value they were written with: they belong to that value only. Any later
 * write of the key (an etcd put, a Consul PUT without flags) gives it a new mod revision, and
 * the flags read as 0 from then on, without anyone having to clear them.
 */
export interface KvFlagsRecord {
  /** Decimal, as uint64 exceeds a JSON number. */
  readonly flags: string;
  /** The key's mod revision when they were written. */
  readonly at: number;
}

/** Flags run from 0 to 2^64-1. */
export const MAX_KV_FLAGS = (1n << 64n) - 1n;

/**
 * Sets the flags of the value just written to `kvKey` (stored key, namespace included) in this
 * command; 0 removes them.
 */
export async function writeKvFlags(scope: WriteScope, storedKey: Uint8Array, kvKey: Uint8Array, flags: bigint): Promise<void> {
  const current = await getCurrent(scope.kv, storedKey);
  if (flags === 0n || current === undefined) {
    if ((await readRecord<KvFlagsRecord>(scope.kv, kvFlagsKey(kvKey), 'kv flags')) !== undefined) await deleteRecord(scope, kvFlagsKey(kvKey));
    return;
  }
  await writeRecord(scope, kvFlagsKey(kvKey), { flags: flags.toString(), at: current.modRevision } satisfies KvFlagsRecord);
}

/** The flags of the key's current value (0 when none were written with it). */
export async function readKvFlags(kv: OrderedKvReader, kvKey: Uint8Array, modRevision: number): Promise<bigint> {
  const r = await readRecord<KvFlagsRecord>(kv, kvFlagsKey(kvKey), 'kv flags');
  return flagsFor(r?.record, modRevision);
}

/** What a flags record says of the value at `modRevision`. */
export function flagsFor(r: KvFlagsRecord | undefined, modRevision: number): bigint {
  return r !== undefined && r.at === modRevision && /^\d{1,20}$/.test(r.flags) ? BigInt(r.flags) : 0n;
}
