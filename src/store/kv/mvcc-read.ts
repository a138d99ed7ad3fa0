import { compareBytes, copyBytes } from './bytes.js';
import {
  afterHistoryOf,
  currentKey,
  historyKeyFromPrefix,
  historyPrefix,
  historyPrefixLength,
  historyRevAt,
  keyspaceEnd,
  PREFIX_CURRENT,
  PREFIX_HISTORY,
  userKeyOfCurrent,
  decodeHistoryKey,
} from './layout.js';
import type { KvEntry, OrderedKvReader } from './ordered-kv.js';
import { decodeKeyValueRecord, decodeVersionRecord } from './records.js';
import type { KeyValue } from './types.js';

/**
 * Reading KeyValues out of the layout (layout.ts), either as they are now ('k') or as they were
 * at a past revision ('h'). A key range follows etcd: an empty rangeEnd is the single key,
 * [0x00] is every key >= key, anything else is [key, rangeEnd).
 */

export function isFromKey(rangeEnd: Uint8Array): boolean {
  return rangeEnd.length === 1 && rangeEnd[0] === 0;
}

/** True when [key, rangeEnd) holds no key at all (rangeEnd at or before key). */
function isEmptyRange(key: Uint8Array, rangeEnd: Uint8Array): boolean {
  return rangeEnd.length > 0 && !isFromKey(rangeEnd) && compareBytes(key, rangeEnd) >= 0;
}

async function first(entries: AsyncIterable<KvEntry>): Promise<KvEntry | undefined> {
  for await (const e of entries) return e;
  return undefined;
}

export async function getCurrent(kv: OrderedKvReader, key: Uint8Array): Promise<KeyValue | undefined> {
  const bytes = await kv.get(currentKey(key));
  return bytes === undefined ? undefined : decodeKeyValueRecord(key, bytes);
}

/** The live keys in the range, ascending, as they are now. */
export async function* scanCurrent(kv: OrderedKvReader, key: Uint8Array, rangeEnd: Uint8Array): AsyncIterable<KeyValue> {
  if (rangeEnd.length === 0) {
    const one = await getCurrent(kv, key);
    if (one !== undefined) yield one;
    return;
  }
  if (isEmptyRange(key, rangeEnd)) return;
  const lt = isFromKey(rangeEnd) ? keyspaceEnd(PREFIX_CURRENT) : currentKey(rangeEnd);
  for await (const e of kv.scan({ gte: currentKey(key), lt })) {
    yield decodeKeyValueRecord(userKeyOfCurrent(e.key), e.value);
  }
}

/** The newest version at or before `revision` among the history entries under `prefix`. */
async function versionAt(kv: OrderedKvReader, prefix: Uint8Array, userKey: Uint8Array, revision: number): Promise<KeyValue | undefined> {
  const entry = await first(kv.scan({ gte: prefix, lt: historyKeyFromPrefix(prefix, revision + 1, 0), reverse: true, limit: 1 }));
  if (entry === undefined) return undefined;
  const version = decodeVersionRecord(userKey, entry.value);
  return version.kind === 'put' ? version.kv : undefined;
}

export function getAt(kv: OrderedKvReader, key: Uint8Array, revision: number): Promise<KeyValue | undefined> {
  return versionAt(kv, historyPrefix(key), key, revision);
}

/**
 * The keys alive at `revision` in the range, ascending, as they were then. It seeks instead of
 * reading all history: per key, one scan finds the key, one reverse scan finds its version at
 * `revision`, then it jumps past the key's other versions. A key rewritten a thousand times
 * costs two seeks, not a thousand reads.
 */
export async function* scanAt(kv: OrderedKvReader, key: Uint8Array, rangeEnd: Uint8Array, revision: number): AsyncIterable<KeyValue> {
  if (rangeEnd.length === 0) {
    const one = await getAt(kv, key, revision);
    if (one !== undefined) yield one;
    return;
  }
  if (isEmptyRange(key, rangeEnd)) return;
  const lt = isFromKey(rangeEnd) ? keyspaceEnd(PREFIX_HISTORY) : historyPrefix(rangeEnd);
  let cursor = historyPrefix(key);
  for (;;) {
    const entry = await first(kv.scan({ gte: cursor, lt, limit: 1 }));
    if (entry === undefined) return;
    const prefixLength = historyPrefixLength(entry.key);
    const prefix = copyBytes(entry.key, 0, prefixLength);
    // The oldest version of this key is newer than `revision`: it did not exist yet.
    if (historyRevAt(entry.key, prefixLength).main <= revision) {
      const kv0 = await versionAt(kv, prefix, decodeHistoryKey(entry.key).userKey, revision);
      if (kv0 !== undefined) yield kv0;
    }
    cursor = afterHistoryOf(prefix);
  }
}
