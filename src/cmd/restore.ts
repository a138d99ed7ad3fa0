import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MembersStore } from '../store/cluster/members-store.js';
import { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';
import { verifySnapshotFile } from '../store/leveldb/snapshot-file.js';
import { STATE_PREFIX, StateDb } from '../store/leveldb/state-db.js';
import { RosterError } from '../util/errors.js';
import { ProgressBar } from '../terminal/progress-bar.js';
import { NO_NODE, nodeId } from '../util/ids.js';
import { foundingClusterId } from '../server/cluster-token.js';
import { parseInitialCluster, writeIdentity } from '../server/identity.js';

export interface RestoreOptions {
  readonly file: string;
  readonly name: string;
  readonly dataDir: string;
  readonly initialCluster: string;
  /** --initial-cluster-token: the same for every member of the new cluster (random for one alone). */
  readonly token?: string;
}

/**
 * Prepares the data dir of one member of a NEW cluster from a snapshot file (`roster snapshot
 * save`). Every member of the new cluster restores the same file with the same
 * --initial-cluster, so they all start from the same state, with a new cluster id and the new
 * membership; then each starts with `roster agent --server` as usual.
 */
export async function restoreFromSnapshot(o: RestoreOptions): Promise<{ index: number; term: number; clusterId: string; records: number; retiredServers: string[] }> {
  const name = nodeId(o.name);
  const initialCluster = parseInitialCluster(o.initialCluster);
  if (initialCluster[name] === undefined) throw new RosterError('INVALID_CONFIG', `--initial-cluster does not list ${name}`);
  // Two restores of one file with one list are two clusters: the token tells them apart.
  const clusterId = foundingClusterId({ self: name, initialCluster, state: 'new', token: o.token });
  if (existsSync(join(o.dataDir, 'IDENTITY.json'))) throw new RosterError('INVALID_CONFIG', `${o.dataDir} already holds a server's data; restore into an empty data dir`);
  // Read the file once fully: its header, and that it verifies, before touching the data dir.
  // Progress (on a terminal): the check reads the file once, the install writes every record.
  const checking = new ProgressBar('checking  ');
  const { index, term, records, voters: oldVoters, learners: oldLearners } = await inspectSnapshot(o.file, (f) => checking.update(f));
  checking.done();
  const restoring = new ProgressBar('restoring ');
  let installed = 0;

  await mkdir(o.dataDir, { recursive: true });
  const state = await StateDb.open(o.dataDir);
  try {
    await state.installSnapshot(o.file, undefined, () => {
      if (++installed % 1024 === 0) restoring.update(installed / Math.max(1, records));
    });
    restoring.done();
    // The members table is the new cluster's, the same on every member.
    const members = await MembersStore.open(state.store(STATE_PREFIX.cluster));
    for (const m of members.list()) await members.remove(m.name);
    for (const [n, peerAddr] of Object.entries(initialCluster)) await members.upsert({ name: nodeId(n), peerAddr, clientAddr: '' });
    await state.sync();
  } finally {
    await state.close();
  }
  const raft = await LevelRaftStorage.open(join(o.dataDir, 'raft'));
  try {
    const voters = Object.keys(initialCluster).map(nodeId).sort();
    await raft.persist({ snapshot: { index, term, conf: { voters, learners: [] } }, entries: [], hardState: { term, vote: NO_NODE, commit: index } }, true);
  } finally {
    await raft.close();
  }
  // The old cluster's servers that are not in the new one: their catalog nodes (and serfHealth,
  // passing when the snapshot was taken) would stay forever, since no gossip member of the new
  // cluster stands for them; the new leader removes them (see retired-servers.ts).
  const retiredServers = [...new Set([...oldVoters, ...oldLearners])].filter((n) => initialCluster[n] === undefined).sort();
  await writeIdentity(o.dataDir, { name, clusterId, initialCluster, ...(retiredServers.length > 0 ? { retiredServers } : {}) });
  return { index, term, clusterId, records, retiredServers };
}

/**
 * What a snapshot file holds, read whole and verified (BAD_SNAPSHOT if it does not verify);
 * `onProgress` hears the fraction read now and then.
 */
export async function inspectSnapshot(file: string, onProgress: (fraction: number) => void = () => undefined): Promise<{ index: number; term: number; clusterId: string; voters: string[]; learners: string[]; records: number; bytes: number }> {
  const { header, records, bytes } = await verifySnapshotFile(file, onProgress);
  const { meta, clusterId } = header;
  return { index: meta.index, term: meta.term, clusterId, voters: [...meta.conf.voters], learners: [...meta.conf.learners], records, bytes };
}
