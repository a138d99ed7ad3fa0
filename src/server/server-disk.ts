import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfState } from '../raft/index.js';
import { MembersStore } from '../store/cluster/members-store.js';
import { MvccStore } from '../store/kv/mvcc-store.js';
import { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';
import { STATE_PREFIX, StateDb } from '../store/leveldb/state-db.js';
import type { EndedSession } from '../store/registry/commands.js';
import { StateExtension } from '../store/state-extension.js';
import { RosterError } from '../util/errors.js';
import { nodeId } from '../util/ids.js';
import { AddressBook } from './address-book.js';
import type { StateStore } from './applier.js';
import { writeFoundingMembers } from './founding-members.js';
import type { ServerIdentity } from './identity.js';
import { repairAfterInstallCrash } from './install-repair.js';
import type { ServerConfig } from './server-config.js';

/** A server's data directory, opened and checked: what the rest of the server is built on. */
export interface ServerDisk {
  readonly storage: LevelRaftStorage;
  readonly state: StateDb;
  readonly members: MembersStore;
  /** The state machine as of the applied index, and how to open it again (after a snapshot install). */
  readonly mvcc: StateStore;
  readonly openStore: () => Promise<StateStore>;
  readonly addresses: AddressBook;
  /** Where snapshot files live for one transfer or install (emptied on open). */
  readonly snapDir: string;
}

/**
 * Opens the Raft log and the state database (a founding member's log starts with the founding
 * configuration and members), repairs a crash in the middle of a snapshot install, and refuses a
 * state older than the log's start. `onSessionsEnded` hears of registry sessions ending as
 * commands apply.
 */
export async function openServerDisk(cfg: ServerConfig, identity: ServerIdentity, onSessionsEnded: (ended: readonly EndedSession[]) => void): Promise<ServerDisk> {
  const founding = cfg.initialClusterState === 'new' && identity.initialCluster[identity.name] !== undefined;
  const bootstrap: ConfState | undefined = founding ? { voters: Object.keys(identity.initialCluster).map(nodeId).sort(), learners: [] } : undefined;
  const storage = await LevelRaftStorage.open(join(cfg.dataDir, 'raft'), bootstrap === undefined ? {} : { bootstrap });
  if (storage.recovery.droppedTail > 0) cfg.logger.warn('dropped a damaged log tail', { entries: storage.recovery.droppedTail });
  const state = await StateDb.open(cfg.dataDir);
  const openStore = (): Promise<StateStore> => MvccStore.open(state.store(STATE_PREFIX.kv), { extension: new StateExtension(onSessionsEnded) });
  const mvcc = await openStore();
  const members = await MembersStore.open(state.store(STATE_PREFIX.cluster));
  if (bootstrap !== undefined) await writeFoundingMembers(members, identity.initialCluster, mvcc.appliedIndex());
  await repairAfterInstallCrash(storage, mvcc.appliedIndex(), () => state.installedSnapshot(), cfg.logger);
  const compaction = storage.initialState().snapshotIndex;
  if (mvcc.appliedIndex() < compaction && compaction > 1) {
    throw new RosterError('STORAGE_CORRUPT', `the state is at index ${mvcc.appliedIndex()} but the raft log starts after ${compaction}`);
  }
  const addresses = new AddressBook(members, identity.initialCluster);
  if (storage.lastIndex() >= storage.firstIndex()) addresses.learn(storage.entries(storage.firstIndex(), storage.lastIndex() + 1));
  const snapDir = join(cfg.dataDir, 'snap');
  await mkdir(snapDir, { recursive: true });
  // Snapshot files only live for one transfer or install: leftovers of a crash go.
  for (const name of await readdir(snapDir)) await rm(join(snapDir, name), { force: true });
  return { storage, state, members, mvcc, openStore, addresses, snapDir };
}
