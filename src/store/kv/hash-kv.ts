import { crc32 } from '../../util/crc32.js';
import { compactedError, futureRevisionError } from './kv-errors.js';
import { historyPrefixLength, historyRevAt, keyspaceEnd, keyspaceStart, PREFIX_HISTORY } from './layout.js';
import type { OrderedKvReader } from './ordered-kv.js';

/** What one read of the store sees (MvccStore.read's view). */
interface HashView {
  readonly kv: OrderedKvReader;
  readonly revision: number;
  readonly compactRevision: number;
}

/** History entries hashed per read of the store: an apply waits for a read, so none may be long. */
const ENTRIES_PER_READ = 4096;

/**
 * etcd's HashKV: a CRC32 of every stored version (keys, values, tombstones) of revisions after
 * the compact revision up to `revision`, in key order. The history is replicated state (each
 * version and each compaction comes from the log), so members at the same revision hash alike
 * and a member whose state went wrong shows it: the consistency check etcdctl endpoint hashkv is
 * for.
 *
 * The history is read a bounded slice at a time, each slice in its own read of the store, so an
 * apply never waits behind the whole scan. Versions at or below `revision` never change between
 * slices (later writes are above it); only a compaction removes some, so one that lands meanwhile
 * fails the hash as COMPACTED, as asking at a compacted revision does.
 */
export async function hashKv(read: <T>(fn: (view: HashView) => Promise<T>) => Promise<T>, revision: number, perRead = ENTRIES_PER_READ): Promise<{ hash: number; hashRevision: number; compactRevision: number }> {
  let hash = 0;
  let at = 0;
  let compactRevision = -1;
  let from = keyspaceStart(PREFIX_HISTORY);
  for (;;) {
    const slice = await read(async (v) => {
      if (compactRevision < 0) {
        at = revision === 0 ? v.revision : revision;
        if (at > v.revision) throw futureRevisionError(v.revision, at);
        if (at < v.compactRevision) throw compactedError(v.compactRevision, at);
        compactRevision = v.compactRevision;
      } else if (v.compactRevision !== compactRevision) {
        throw compactedError(v.compactRevision, at);
      }
      const entries: { key: Uint8Array; value: Uint8Array }[] = [];
      for await (const e of v.kv.scan({ gte: from, lt: keyspaceEnd(PREFIX_HISTORY), limit: perRead })) entries.push(e);
      return entries;
    });
    for (const e of slice) {
      const main = historyRevAt(e.key, historyPrefixLength(e.key)).main;
      if (main <= at && main > compactRevision) hash = crc32(e.value, crc32(e.key, hash));
    }
    if (slice.length < perRead) return { hash, hashRevision: at, compactRevision };
    // The next slice starts just after the last key read (the smallest key greater than it).
    const last = slice.at(-1)!.key;
    from = new Uint8Array(last.length + 1);
    from.set(last);
  }
}
