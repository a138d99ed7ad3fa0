import { crc32 } from '../../util/crc32.js';
import { compactedError, futureRevisionError } from './kv-errors.js';
import { historyPrefixLength, historyRevAt, keyspaceEnd, keyspaceStart, PREFIX_HISTORY } from './layout.js';
import type { OrderedKvReader } from './ordered-kv.js';

/**
 * etcd's HashKV: a CRC32 of every stored version (keys, values, tombstones) of revisions after
 * the compact revision up to `revision`, in key order. The history is replicated state (each
 * version and each compaction comes from the log), so members at the same revision hash alike
 * and a member whose state went wrong shows it: the consistency check etcdctl endpoint hashkv is
 * for. It reads the whole history: the API bounds how many run at once.
 */
export async function hashKv(kv: OrderedKvReader, store: { readonly revision: number; readonly compactRevision: number }, revision: number): Promise<{ hash: number; hashRevision: number; compactRevision: number }> {
  const at = revision === 0 ? store.revision : revision;
  if (at > store.revision) throw futureRevisionError(store.revision, at);
  if (at < store.compactRevision) throw compactedError(store.compactRevision, at);
  let hash = 0;
  for await (const e of kv.scan({ gte: keyspaceStart(PREFIX_HISTORY), lt: keyspaceEnd(PREFIX_HISTORY) })) {
    const main = historyRevAt(e.key, historyPrefixLength(e.key)).main;
    if (main > at || main <= store.compactRevision) continue;
    hash = crc32(e.value, crc32(e.key, hash));
  }
  return { hash, hashRevision: at, compactRevision: store.compactRevision };
}
