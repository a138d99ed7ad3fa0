import { randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_DATA, type Message, type SnapshotMeta } from '../raft/index.js';
import { receiveSnapshotFile, verifySnapshotFile } from '../store/leveldb/snapshot-file.js';
import { RosterError } from '../util/errors.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';

/** What receiving a snapshot needs of its server. */
export interface SnapshotReceiverDeps {
  self(): NodeId;
  clusterId(): string;
  /** Where received files wait for their install (one transfer each). */
  readonly snapDir: string;
  /** Received, verified files by index: the applier installs from here. */
  readonly received: Map<number, string>;
  /** Hands the snapshot message to the Raft core once the file is in place. */
  step(m: Message): void;
  readonly logger: Logger;
}

/**
 * Receives a leader's InstallSnapshot stream into a file and verifies it before the Raft core
 * hears of it, so a broken transfer fails here (the leader retries) instead of at install.
 */
export async function receiveSnapshot(head: { from: NodeId; term: number; meta: SnapshotMeta }, data: AsyncIterable<Uint8Array>, d: SnapshotReceiverDeps): Promise<void> {
  const path = join(d.snapDir, `recv-${head.meta.term}-${head.meta.index}-${randomInt(2 ** 31)}.snap`);
  const bytes = await receiveSnapshotFile(path, data);
  try {
    const { header } = await verifySnapshotFile(path);
    if (header.meta.index !== head.meta.index || header.clusterId !== d.clusterId()) {
      throw new RosterError('BAD_SNAPSHOT', `the file is for index ${header.meta.index} of cluster ${header.clusterId}, expected ${head.meta.index} of ${d.clusterId()}`);
    }
  } catch (err) {
    await rm(path, { force: true });
    throw new RosterError('BAD_SNAPSHOT', `received snapshot for ${head.meta.index} is refused: ${err instanceof Error ? err.message : String(err)}`);
  }
  const previous = d.received.get(head.meta.index);
  if (previous !== undefined) await rm(previous, { force: true });
  d.logger.info('received snapshot', { from: head.from, index: head.meta.index, bytes });
  d.received.set(head.meta.index, path);
  const m: Message = { type: 'snap', from: head.from, to: d.self(), term: head.term, snapshot: { meta: head.meta, data: EMPTY_DATA } };
  d.step(m);
}
