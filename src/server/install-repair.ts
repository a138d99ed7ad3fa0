import { RosterError } from '../util/errors.js';
import { NO_NODE } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { SnapshotMeta } from '../raft/index.js';
import type { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';

/**
 * A snapshot is installed into the state before the Raft log records it; a crash in between
 * leaves the state ahead of the log. The state carries the snapshot's Raft metadata
 * (`installed`), so the log's record is written now, as it would have been. Run at start,
 * before the core is built on the log (the simulator runs it too).
 */
export async function repairAfterInstallCrash(storage: LevelRaftStorage, applied: number, installed: () => Promise<SnapshotMeta | undefined>, logger: Logger): Promise<void> {
  const hs = storage.initialState().hardState;
  // The stored commit may lag what was applied (commit-only Readies are not written); only a
  // state beyond the stored log itself needs repair.
  if (applied <= Math.max(storage.lastIndex(), storage.initialState().snapshotIndex)) return;
  const meta = await installed();
  if (meta === undefined || meta.index !== applied) {
    throw new RosterError('STORAGE_CORRUPT', `the state is at index ${applied}, beyond the raft log (last ${storage.lastIndex()}), and no installed snapshot explains it`);
  }
  const term = Math.max(hs.term, meta.term);
  await storage.persist({ snapshot: meta, entries: [], hardState: { term, vote: term === hs.term ? hs.vote : NO_NODE, commit: meta.index } }, true);
  logger.warn('completed a snapshot install interrupted by a crash', { index: meta.index });
}
