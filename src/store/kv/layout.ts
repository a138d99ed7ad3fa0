import { RosterError } from '../../util/errors.js';
import { concatBytes, copyBytes } from './bytes.js';

/**
 * How the MVCC store lays its data out in the OrderedKv. One prefix byte per keyspace:
 *
 *   'm'                         -> meta record: layout version, current revision, compact
 *                                  revision, applied Raft index (records.ts). One key, so the
 *                                  three always change together with the data they describe.
 *   'k' userKey                 -> the latest KeyValue of each live key (deleted keys removed).
 *                                  The raw user key after one fixed byte keeps user-key order, so
 *                                  a current-revision range is one scan and a get is one lookup.
 *   'h' esc(userKey) rev sub    -> every revision of every key: a KeyValue, or a tombstone for a
 *                                  delete; kept until compaction. Sorted by (user key, revision),
 *                                  so "the key as of revision R" is one reverse scan from R.
 *   'e' rev sub                 -> one change event per write, in revision order, for watches:
 *                                  put/delete, the user key, the previous modRevision. A put's
 *                                  KeyValue is not copied here: it is the 'h' entry at (key, rev,
 *                                  sub), kept as long as the event is (see compaction.ts).
 *
 *   'r'                         -> the registry's plain index of the locks each session holds
 *                                  (registry/keys.ts), written in the same batches.
 *   'l' / 'L'                   -> leases and the index of what is attached to them
 *                                  (lease-layout.ts): not versioned, but written in the same
 *                                  batches as the keys they own.
 *
 * A user key here is a namespaced key (namespace.ts): its first byte says which table it
 * belongs to (etcd's KV, or a registry table), so all tables share one revision order.
 *
 * `rev` is the main revision as 8 bytes big-endian and `sub` the write's index inside its
 * revision (etcd's sub-revision) as 4 bytes big-endian: fixed width, so byte order = numeric order.
 *
 * esc(userKey) is an order-preserving, prefix-free encoding of arbitrary bytes: 0x00 becomes
 * 0x00 0xFF and the key ends with 0x00 0x00. Without it, key "a" at revision 300 and key "a\x01"
 * would interleave, since the revision bytes would compare against the next key's bytes. With it,
 * esc(a) < esc(b) exactly when a < b, and no esc(a) is a prefix of another, so all entries of
 * one key are contiguous and the keys come in user-key order.
 *
 * The latest value lives both in 'k' and in 'h': twice the bytes on disk for the latest
 * version, in exchange for current reads that never touch history. Nothing is indexed in JS
 * memory: a million keys cost disk, not heap.
 */

export const PREFIX_META = 0x6d; // 'm'
export const PREFIX_CURRENT = 0x6b; // 'k'
export const PREFIX_HISTORY = 0x68; // 'h'
export const PREFIX_EVENT = 0x65; // 'e'

export const META_KEY: Uint8Array = Uint8Array.of(PREFIX_META);

/** The first key after every key of a keyspace. */
export function keyspaceEnd(prefix: number): Uint8Array {
  return Uint8Array.of(prefix + 1);
}

export function keyspaceStart(prefix: number): Uint8Array {
  return Uint8Array.of(prefix);
}

/** Where one write sits in the revision order: etcd's {main, sub}. */
export interface Rev {
  readonly main: number;
  readonly sub: number;
}

const REV_BYTES = 12;

function writeRev(out: Uint8Array, at: number, main: number, sub: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, Math.floor(main / 0x1_0000_0000));
  view.setUint32(at + 4, main % 0x1_0000_0000);
  view.setUint32(at + 8, sub);
}

function readRev(bytes: Uint8Array, at: number): Rev {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { main: view.getUint32(at) * 0x1_0000_0000 + view.getUint32(at + 4), sub: view.getUint32(at + 8) };
}

function corrupt(message: string): never {
  throw new RosterError('CORRUPT', `kv store layout: ${message}`);
}

// ---- 'k': current ----

export function currentKey(userKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(userKey.length + 1);
  out[0] = PREFIX_CURRENT;
  out.set(userKey, 1);
  return out;
}

export function userKeyOfCurrent(key: Uint8Array): Uint8Array {
  if (key[0] !== PREFIX_CURRENT) corrupt('not a current key');
  return copyBytes(key, 1);
}

// ---- 'h': history ----

/** esc(userKey): 0x00 -> 0x00 0xFF, then the terminator 0x00 0x00. */
export function escapeKey(userKey: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of userKey) if (b === 0) zeros++;
  const out = new Uint8Array(userKey.length + zeros + 2);
  let at = 0;
  for (const b of userKey) {
    out[at++] = b;
    if (b === 0) out[at++] = 0xff;
  }
  // The last two bytes stay 0x00 0x00: the terminator.
  return out;
}

/** 'h' esc(userKey): the prefix shared by every history entry of the key. */
export function historyPrefix(userKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(PREFIX_HISTORY), escapeKey(userKey));
}

/**
 * The first storage key after every history entry of the key whose prefix is given: the
 * terminator 0x00 0x00 becomes 0x00 0x01. Any other user key's entries compare greater: they
 * differ from the prefix before its end, or continue a shared prefix with 0xFF (an escaped 0x00).
 */
export function afterHistoryOf(prefix: Uint8Array): Uint8Array {
  const out = copyBytes(prefix);
  out[out.length - 1] = 0x01;
  return out;
}

export function historyKey(userKey: Uint8Array, main: number, sub: number): Uint8Array {
  return historyKeyFromPrefix(historyPrefix(userKey), main, sub);
}

export function historyKeyFromPrefix(prefix: Uint8Array, main: number, sub: number): Uint8Array {
  const out = new Uint8Array(prefix.length + REV_BYTES);
  out.set(prefix, 0);
  writeRev(out, prefix.length, main, sub);
  return out;
}

export interface DecodedHistoryKey {
  readonly userKey: Uint8Array;
  /** Length of 'h' esc(userKey) at the start of the storage key. */
  readonly prefixLength: number;
  readonly rev: Rev;
}

/** Length of the 'h' esc(userKey) part of a history key: up to and including the terminator. */
export function historyPrefixLength(key: Uint8Array): number {
  if (key[0] !== PREFIX_HISTORY) corrupt('not a history key');
  let i = 1;
  for (;;) {
    if (i + 1 >= key.length) corrupt('history key without terminator');
    if (key[i] !== 0) {
      i++;
    } else if (key[i + 1] === 0) {
      return i + 2;
    } else if (key[i + 1] === 0xff) {
      i += 2;
    } else {
      corrupt('bad escape in history key');
    }
  }
}

/** The revision of a history key whose prefix length is known. */
export function historyRevAt(key: Uint8Array, prefixLength: number): Rev {
  if (key.length !== prefixLength + REV_BYTES) corrupt('history key with a bad revision');
  return readRev(key, prefixLength);
}

export function decodeHistoryKey(key: Uint8Array): DecodedHistoryKey {
  const prefixLength = historyPrefixLength(key);
  const rev = historyRevAt(key, prefixLength);
  const bytes: number[] = [];
  for (let i = 1; i < prefixLength - 2; i++) {
    bytes.push(key[i]!);
    if (key[i] === 0) i++; // skip the 0xFF of an escaped 0x00
  }
  return { userKey: Uint8Array.from(bytes), prefixLength, rev };
}

// ---- 'e': events ----

export function eventKey(main: number, sub: number): Uint8Array {
  const out = new Uint8Array(1 + REV_BYTES);
  out[0] = PREFIX_EVENT;
  writeRev(out, 1, main, sub);
  return out;
}

export function decodeEventKey(key: Uint8Array): Rev {
  if (key[0] !== PREFIX_EVENT || key.length !== 1 + REV_BYTES) corrupt('not an event key');
  return readRev(key, 1);
}
