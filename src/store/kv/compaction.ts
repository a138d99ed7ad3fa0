import { bytesEqual } from './bytes.js';
import { compactedError, futureRevisionError } from './kv-errors.js';
import { eventKey, historyPrefixLength, historyRevAt, keyspaceEnd, keyspaceStart, PREFIX_EVENT, PREFIX_HISTORY } from './layout.js';
import type { OverlayKv } from './overlay-kv.js';
import { isTombstoneRecord } from './records.js';
import type { CompactResponse, CompactRequest } from './types.js';
import type { WriteScope } from './write-scope.js';

/**
 * Removes the history nobody may read any more once ranges below `revision` are refused: per
 * key, every version at or before `revision` except the newest, and that one too if it is a
 * tombstone (the key did not exist at `revision`). Versions after `revision` stay.
 */
async function compactHistory(kv: OverlayKv, revision: number): Promise<void> {
  let groupPrefix: Uint8Array | undefined;
  // The newest entry at or before `revision` seen so far in the current key's group.
  let newest: { key: Uint8Array; tombstone: boolean } | undefined;
  const closeGroup = (): void => {
    if (newest?.tombstone === true) kv.del(newest.key);
    newest = undefined;
  };
  // Deleting while scanning is safe: the overlay's scan is a snapshot (overlay-kv.ts).
  for await (const e of kv.scan({ gte: keyspaceStart(PREFIX_HISTORY), lt: keyspaceEnd(PREFIX_HISTORY) })) {
    const prefixLength = historyPrefixLength(e.key);
    const prefix = e.key.subarray(0, prefixLength);
    if (groupPrefix === undefined || !bytesEqual(prefix, groupPrefix)) {
      closeGroup();
      groupPrefix = prefix;
    }
    if (historyRevAt(e.key, prefixLength).main > revision) continue;
    if (newest !== undefined) kv.del(newest.key); // superseded by this newer version
    newest = { key: e.key, tombstone: isTombstoneRecord(e.value) };
  }
  closeGroup();
}

/** Removes the events of revisions before `revision`: a watch may not start there any more. */
async function compactEvents(kv: OverlayKv, revision: number): Promise<void> {
  for await (const e of kv.scan({ gte: keyspaceStart(PREFIX_EVENT), lt: eventKey(revision, 0) })) kv.del(e.key);
}

/**
 * etcd's Compact: at or below the current compact revision is COMPACTED, above the store
 * revision FUTURE_REV. The revision does not move.
 *
 * Known cost: the physical removal runs inside the apply, reading all history and holding
 * every deletion in the batch's overlay until the one atomic write. Fine for modest stores;
 * a large one wants a background compactor that removes garbage in chunks after the new compact
 * revision is persisted (reads already refuse anything below it).
 */
export async function executeCompact(scope: WriteScope, req: CompactRequest): Promise<CompactResponse> {
  if (req.revision <= scope.compactRevision) throw compactedError(scope.compactRevision, req.revision);
  if (req.revision > scope.baseRevision) throw futureRevisionError(scope.baseRevision, req.revision);
  await compactHistory(scope.kv, req.revision);
  await compactEvents(scope.kv, req.revision);
  scope.compactedTo = req.revision;
  return { revision: scope.baseRevision };
}
