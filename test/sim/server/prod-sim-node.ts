import { Applier, type StateStore } from '../../../src/server/applier.js';
import { writeFoundingMembers } from '../../../src/server/founding-members.js';
import { repairAfterInstallCrash } from '../../../src/server/install-repair.js';
import { RaftDriver, type ApplyPipeline, type DriverTimers } from '../../../src/server/raft-driver.js';
import { ReadBarrier } from '../../../src/server/read-barrier.js';
import { RequestTracker } from '../../../src/server/request-tracker.js';
import { EMPTY_DATA, RaftNode, type ConfState, type Entry, type Message, type SoftState } from '../../../src/raft/index.js';
import { MembersStore } from '../../../src/store/cluster/members-store.js';
import { MvccStore } from '../../../src/store/kv/mvcc-store.js';
import { diskFaultCode } from '../../../src/store/leveldb/disk-fault.js';
import { LevelRaftStorage } from '../../../src/store/leveldb/level-raft-storage.js';
import { COMPACTION_KEY, decodeEntry, decodeSnapshotMeta, entryKey } from '../../../src/store/leveldb/raft-codec.js';
import { STATE_PREFIX } from '../../../src/store/leveldb/state-db.js';
import type { StateResponse } from '../../../src/store/state-command.js';
import { StateExtension } from '../../../src/store/state-extension.js';
import { RosterError } from '../../../src/util/errors.js';
import type { NodeId } from '../../../src/util/ids.js';
import { silentLogger } from '../../../src/util/logger.js';
import type { Rng } from '../../../src/util/rng.js';
import type { SimMember } from '../sim-member.js';
import type { SimHost } from '../sim-node.js';
import { PendingReads } from '../pending-reads.js';
import { coreSettings } from '../scenario.js';
import { ListStateMachine } from '../state-machine.js';
import { SimDisk, type DiskProfile } from './sim-disk.js';
import type { SnapshotHeader } from '../../../src/store/leveldb/snapshot-file.js';
import { SimSnapshotDir, SimStateDb, type SimSnapshotImage } from './sim-state-db.js';

/** A snapshot taken at one index: the real state's image, and the checker's model of it. */
export interface SimSnapshot {
  readonly state: SimSnapshotImage;
  readonly model: Uint8Array;
}

/** What a production-driver node needs beyond a model node's host. */
export interface ProdSimHost extends SimHost {
  readonly faultsEndAt: number;
  /** The server's code failed (a fatal callback, a check of this file): a failure of the run. */
  driverFatal(node: ProdSimNode, err: unknown): void;
  /** Snapshots by `index/term`: the state at a committed index is the same on every server. */
  readonly snapshotImages: Map<string, SimSnapshot>;
  onDiskFault(node: ProdSimNode, what: 'raft log' | 'state', code: string): void;
}

const imageKey = (meta: { index: number; term: number }): string => `${meta.index}/${meta.term}`;
const SIM_CLUSTER_ID = 'sim-cluster';
const SNAP_DIR = 'snap';
/** A server that exits on a failing disk is started again by its supervisor this much later. */
const SUPERVISOR_RESTART_MS = 200;

/**
 * One server run by the production code on simulated disks and simulated time: the RaftDriver
 * over LevelRaftStorage (its ticks, batching, retries of failed writes and heartbeats through a
 * slow fsync), and the Applier over the MVCC store, the registry's extension and the members
 * table (its batches, compactions, snapshot preparation and installs), each database on a
 * SimDisk of its own with the durability LevelDB gives: the state's writes are unsynced, so a
 * power loss drops some and the log must rebuild them.
 *
 * The checker's model (ListStateMachine: every entry's hash, per index) follows what the
 * Applier applied: it moves when a batch reaches the state. Snapshots of one index taken on
 * different servers must be the same records, or the run fails: the state diverged.
 */
export class ProdSimNode implements SimMember {
  node: RaftNode | undefined;
  sm = new ListStateMachine();
  epoch = 0;
  removed = false;
  crashAtFirstCommit = false;
  readonly disk: SimDisk;
  readonly stateDisk: SimDisk;
  private storage: LevelRaftStorage | undefined;
  private driver: RaftDriver | undefined;
  private applier: Applier | undefined;
  private readonly snapDir = new SimSnapshotDir();
  /** Committed entries handed to the Applier that the model has not followed yet. */
  private toModel: Entry[] = [];
  /** The model as of the state's last completed sync (what a power loss leaves). */
  private durableModel: { index: number; data: Uint8Array } | undefined;
  /** While the Applier installs a snapshot, the model waits for the install to finish. */
  private installing = false;
  private readonly reads = new PendingReads();
  /** Between start() and the server being up (or failing to start). */
  private opening = false;

  constructor(
    readonly id: NodeId,
    private readonly bootstrap: ConfState | undefined,
    private readonly host: ProdSimHost,
    private readonly rng: Rng,
    profile: DiskProfile,
  ) {
    this.disk = new SimDisk(host, rng.fork(), profile);
    this.stateDisk = new SimDisk(host, rng.fork(), profile);
  }

  get up(): boolean {
    return this.node !== undefined;
  }

  /** Both databases live on one device: it fills for both. */
  fillDisk(ms: number): void {
    this.disk.fillFor(ms);
    this.stateDisk.fillFor(ms);
  }

  describeLog(): string {
    const s = this.storage;
    return s === undefined ? 'opening' : `term ${this.node?.term ?? '?'}, log ${s.firstIndex()}..${s.lastIndex()}, commit ${this.node?.commitIndex ?? '?'}, applied ${this.sm.index}`;
  }

  hasDurably(e: Entry): boolean {
    const bytes = this.disk.durableValue(entryKey(e.index));
    if (bytes !== undefined && decodeEntry(bytes)?.term === e.term) return true;
    const cp = this.disk.durableValue(COMPACTION_KEY);
    return cp !== undefined && decodeSnapshotMeta(cp).index >= e.index;
  }

  start(): void {
    if (this.opening || this.up) return;
    this.opening = true;
    const epoch = this.epoch;
    void this.open(epoch).catch((err: unknown) => {
      if (epoch !== this.epoch) return;
      this.opening = false;
      this.failed(epoch, 'state', err);
    });
  }

  /**
   * The server's code gave up (a fatal callback, or start failed). On a failing disk that is
   * what the server does: it exits, and its supervisor starts it again. Anything else fails the run.
   */
  private failed(epoch: number, what: 'raft log' | 'state', err: unknown): void {
    if (epoch !== this.epoch) return;
    const code = diskFaultCode(err);
    if (code === undefined) {
      this.host.driverFatal(this, err);
      return;
    }
    this.host.onDiskFault(this, what, code);
    this.host.trace(`${this.id} exited on a ${what} write (${code}); restarted by its supervisor in ${SUPERVISOR_RESTART_MS}ms`);
    this.crash(false);
    const again = this.epoch;
    this.host.after(SUPERVISOR_RESTART_MS, () => {
      if (again === this.epoch && !this.up) this.start();
    });
  }

  /** As ServerNode.open does, on the simulated disks. */
  private async open(epoch: number): Promise<void> {
    const storage = await LevelRaftStorage.openOn(() => this.disk.open(), `sim:${this.id}`, this.bootstrap === undefined ? {} : { bootstrap: this.bootstrap });
    if (epoch !== this.epoch) return; // crashed while opening
    this.snapDir.files.clear(); // a server removes snapshot files left by its previous process
    const state = new SimStateDb(
      await this.stateDisk.open(),
      this.snapDir,
      (header) => this.imageTaken(epoch, header),
      () => this.syncStarted(epoch),
    );
    const openStore = (): Promise<StateStore> => MvccStore.open(state.store(STATE_PREFIX.kv), { extension: new StateExtension() });
    const mvcc = await openStore();
    const members = await MembersStore.open(state.store(STATE_PREFIX.cluster));
    if (epoch !== this.epoch) return;
    if (this.bootstrap !== undefined) await writeFoundingMembers(members, Object.fromEntries(this.bootstrap.voters.map((id) => [id, `${id}.sim:2380`])), mvcc.appliedIndex());
    // A crash between installing a snapshot into the state and recording it in the log leaves
    // the state ahead; the log's record is written now.
    await repairAfterInstallCrash(storage, mvcc.appliedIndex(), () => state.installedSnapshot(), silentLogger);
    if (epoch !== this.epoch) return;
    const compaction = storage.initialState().snapshotIndex;
    if (mvcc.appliedIndex() < compaction && compaction > 1) {
      throw new Error(`${this.id}: the state is at index ${mvcc.appliedIndex()} but the raft log starts after ${compaction}`);
    }
    await this.followState(storage, state, mvcc.appliedIndex());
    if (epoch !== this.epoch) return;
    this.opening = false;
    const node = new RaftNode({
      id: this.id,
      storage,
      rng: this.rng.fork(),
      ...coreSettings(this.host.scenario),
      applied: mvcc.appliedIndex(),
    });
    this.storage = storage;
    this.node = node;
    this.reads.clear();
    this.toModel = [];
    this.installing = false;
    const driver = new RaftDriver({
      node,
      storage,
      timers: this.timers(epoch),
      clock: { now: () => this.host.now },
      tickMs: this.host.scenario.tickMs,
      logger: silentLogger,
      send: (msgs) => this.send(epoch, msgs),
      apply: this.pipeline(epoch),
      onReadStates: (states) => {
        this.reads.add(states);
        this.serveReads();
      },
      onSoftState: (s) => this.softState(epoch, s),
      onAppended: (entries, after) => this.host.checker.onEntriesAppended(this.id, entries, node, after),
      // The driver retries its own log writes; what it gives up on is a snapshot install (the state).
      fatal: (err) => this.failed(epoch, 'state', err),
      onDiskFault: (_op, code) => this.host.onDiskFault(this, 'raft log', code),
    });
    const s = this.host.scenario;
    const applier = new Applier(
      {
        state,
        members,
        storage,
        node,
        driver: () => driver,
        // The request path's tracker: nothing waits on it here (the simulated clients watch
        // entries), but the Applier settles it as the server's does.
        requests: new RequestTracker<StateResponse | undefined>(),
        barrier: new ReadBarrier(0, { ask: () => false, unconfirmed: () => new RosterError('UNAVAILABLE', 'no leader') }),
        snapDir: SNAP_DIR,
        snapshotFiles: this.snapDir,
        clock: { now: () => this.host.now },
        clusterId: () => SIM_CLUSTER_ID,
        snapshotEvery: s.snapshotEvery,
        keepTail: s.snapshotKeepTail,
        logger: silentLogger,
        fatal: (err) => this.failed(epoch, 'state', err),
        onApplied: () => undefined,
        onBatch: () => this.batchApplied(epoch),
        onSnapshotRefused: (purpose) => this.host.driverFatal(this, new Error(`a ${purpose} snapshot did not verify`)),
      },
      mvcc,
      openStore,
    );
    storage.onSnapshotNeeded = () => applier.wantSnapshot();
    this.driver = driver;
    this.applier = applier;
    driver.start();
    this.host.trace(`${this.id} up: ${this.describeLog()}`);
    driver.kick();
  }

  /**
   * At start the model catches up with the state it finds: kill -9 keeps whatever writes of the
   * Applier reached the OS, a power loss keeps the last sync plus whatever happened to reach
   * the platter, a crash right after an install keeps the installed state. The entries between
   * are in the log (it is compacted only below a synced state), or the state is that install.
   */
  private async followState(storage: LevelRaftStorage, state: SimStateDb, stateIndex: number): Promise<void> {
    // A founder's state starts at the founding snapshot (no data): applied 0 means that point.
    // Until its first sync nothing compacts the log, so the log still starts after it.
    const founding = this.bootstrap !== undefined ? storage.compactionPoint().index : 0;
    const applied = Math.max(stateIndex, this.bootstrap !== undefined && stateIndex === 0 ? founding : 0);
    if (this.sm.index === 0 && this.bootstrap !== undefined) this.sm = ListStateMachine.decode(EMPTY_DATA, founding);
    if (applied < this.sm.index) throw new Error(`${this.id}: the state went back from index ${this.sm.index} to ${applied}`);
    if (applied === this.sm.index) return;
    const installed = await state.installedSnapshot();
    if (installed !== undefined && installed.index > this.sm.index && installed.index <= applied) {
      const snap = this.host.snapshotImages.get(imageKey(installed));
      if (snap === undefined) throw new Error(`${this.id}: no model for the installed snapshot ${imageKey(installed)}`);
      this.sm = ListStateMachine.decode(snap.model, installed.index);
    }
    if (applied === this.sm.index) return;
    if (this.sm.index + 1 < storage.firstIndex()) throw new Error(`${this.id}: the state is at ${applied}, the model at ${this.sm.index}, and the log starts at ${storage.firstIndex()}`);
    for (const e of storage.entries(this.sm.index + 1, applied + 1)) {
      const before = this.sm.index;
      this.sm.apply(e);
      this.host.checker.onApplied(this.id, e, before, this.sm.hash);
    }
  }

  crash(powerLoss: boolean): void {
    this.epoch++;
    this.opening = false;
    this.driver?.stop();
    this.driver = undefined;
    this.applier = undefined;
    this.node = undefined;
    this.storage = undefined;
    this.crashAtFirstCommit = false;
    this.reads.clear();
    this.toModel = [];
    this.installing = false;
    this.disk.crash(powerLoss);
    this.stateDisk.crash(powerLoss);
    // The model survives kill -9 as the state does; a power loss leaves the last synced one
    // (and followState catches it up with what the state kept beyond that).
    if (powerLoss) this.sm = this.durableModel === undefined ? new ListStateMachine() : ListStateMachine.decode(this.durableModel.data, this.durableModel.index);
  }

  step(m: Message): void {
    this.driver?.step(m);
  }

  pump(): void {
    this.driver?.kick();
  }

  /** Simulated time for the driver; nothing of a crashed process runs on. */
  private timers(epoch: number): DriverTimers {
    const live = (): boolean => epoch === this.epoch;
    return {
      every: (ms, fn) => {
        let on = true;
        const loop = (): void => {
          if (!on || !live()) return;
          fn();
          this.host.after(ms, loop);
        };
        // Ticks start at a random phase so that nodes do not tick in lockstep.
        this.host.after(1 + this.rng.int(ms), loop);
        return () => {
          on = false;
        };
      },
      soon: (fn) => this.host.after(0, () => live() && fn()),
      sleep: (ms) => new Promise((resolve) => this.host.after(ms, () => live() && resolve())),
    };
  }

  private send(epoch: number, msgs: readonly Message[]): void {
    if (epoch !== this.epoch) return;
    for (const m of msgs) this.host.send(m);
  }

  private softState(epoch: number, s: SoftState): void {
    const node = this.node;
    if (epoch !== this.epoch || node === undefined || s.role !== 'leader') return;
    this.host.checker.onLeaderElected(this.id, node.term, node);
    this.host.onBecameLeader(this);
  }

  /** The driver hands committed entries to the Applier, as the server does. */
  private pipeline(epoch: number): ApplyPipeline {
    return {
      enqueue: (entries) => {
        const node = this.node;
        const applier = this.applier;
        if (epoch !== this.epoch || node === undefined || applier === undefined || entries.length === 0) return;
        const checker = this.host.checker;
        checker.onCommitted(this.id, entries);
        if (node.role === 'leader') {
          checker.onLeaderCommitted(this.id, entries, node, (voter, e) => this.host.isDurable(voter, e));
          if (this.crashAtFirstCommit) {
            this.host.onLeaderCommitDecided(this);
            if (epoch !== this.epoch) return; // crashed by the fault schedule
          }
        }
        for (const e of entries) this.toModel.push(e);
        applier.enqueue(entries);
      },
      installSnapshot: async (meta) => {
        const applier = this.applier;
        if (epoch !== this.epoch || applier === undefined) return new Promise<void>(() => {}); // a dead process: never
        const snap = this.host.snapshotImages.get(imageKey(meta));
        if (snap === undefined) throw new Error(`${this.id}: no snapshot image for ${imageKey(meta)}`);
        // What the transport does: the leader's file lands in the snapshot directory.
        const path = `${SNAP_DIR}/recv-${meta.term}-${meta.index}.snap`;
        this.snapDir.files.set(path, snap.state);
        applier.received.set(meta.index, path);
        this.installing = true;
        await applier.installSnapshot(meta);
        if (epoch !== this.epoch) return;
        this.installing = false;
        this.toModel = this.toModel.filter((e) => e.index > meta.index);
        this.sm = ListStateMachine.decode(snap.model, meta.index);
        this.durableModel = { index: meta.index, data: snap.model };
        this.host.checker.onSnapshotRestored(this.id, this.sm.index, this.sm.hash);
        this.host.onSnapshotRestored(this, this.sm.index);
      },
    };
  }

  /** A batch reached the state: the model follows it, entry by entry, and acknowledges writes. */
  private batchApplied(epoch: number): void {
    const applier = this.applier;
    if (epoch !== this.epoch || applier === undefined || this.installing) return;
    const applied = applier.appliedIndex();
    if (!this.followApplied(epoch, applied)) return;
    if (this.sm.index !== applied && applied > 0) {
      this.host.driverFatal(this, new Error(`${this.id}: the state is at ${applied}, the entries it was given end at ${this.sm.index}`));
      return;
    }
    this.serveReads();
  }

  /** The model applies the entries the state applied, up to `upTo`; false once it stopped the run or the node crashed. */
  private followApplied(epoch: number, upTo: number): boolean {
    while (this.toModel.length > 0 && this.toModel[0]!.index <= upTo) {
      const e = this.toModel.shift()!;
      if (e.index <= this.sm.index) continue; // replayed after a restart: the state had it
      if (e.index !== this.sm.index + 1) {
        this.host.driverFatal(this, new Error(`${this.id}: the state applied ${e.index} after ${this.sm.index}`));
        return false;
      }
      const before = this.sm.index;
      this.sm.apply(e);
      this.host.checker.onApplied(this.id, e, before, this.sm.hash);
      this.host.onApplied(this, e);
      if (epoch !== this.epoch) return false;
    }
    return true;
  }

  /**
   * The state's image at an index is being taken for a follower: the model is captured now
   * (the state is exactly at that index), and the image, once read, must be the same records
   * as any other server's of that index, or the states diverged.
   */
  private imageTaken(epoch: number, header: SnapshotHeader): (image: SimSnapshotImage) => void {
    const meta = header.meta;
    // The Applier may take the image before its last batch reached the model (its callback not
    // run yet, or held back while a received snapshot installs): the state is at meta.index, so
    // the model catches up to it first.
    if (this.sm.index < meta.index) this.followApplied(epoch, meta.index);
    const model = this.sm.encode();
    const modelIndex = this.sm.index;
    return (image) => {
      if (epoch !== this.epoch) return;
      if (modelIndex !== meta.index) {
        this.host.driverFatal(this, new Error(`${this.id}: a snapshot at ${meta.index} taken while the model is at ${modelIndex}`));
        return;
      }
      const key = imageKey(meta);
      const earlier = this.host.snapshotImages.get(key);
      if (earlier === undefined) {
        this.host.snapshotImages.set(key, { state: image, model });
        return;
      }
      const diff = firstDifference(earlier.state, image);
      if (diff !== undefined) this.host.driverFatal(this, new Error(`${this.id}: the state at ${key} differs from another server's: ${diff}`));
    };
  }

  /** A state sync starts: once it completes, the model as of now survives a power loss. */
  private syncStarted(epoch: number): () => void {
    const model = { index: this.sm.index, data: this.sm.encode() };
    return () => {
      if (epoch === this.epoch) this.durableModel = model;
    };
  }

  private serveReads(): void {
    this.reads.serve(this.sm.index, (rs) => this.host.onReadServed(this, rs, this.sm.index));
  }
}

/** Where two images of one index differ, if they do. */
function firstDifference(a: SimSnapshotImage, b: SimSnapshotImage): string | undefined {
  const hex = (x: Uint8Array): string => Buffer.from(x).toString('hex');
  const n = Math.max(a.records.length, b.records.length);
  for (let i = 0; i < n; i++) {
    const ra = a.records[i];
    const rb = b.records[i];
    if (ra === undefined || rb === undefined) return `${a.records.length} records against ${b.records.length}`;
    if (hex(ra[0]) !== hex(rb[0]) || hex(ra[1]) !== hex(rb[1])) return `record ${i}: ${hex(ra[0])}=${hex(ra[1])} against ${hex(rb[0])}=${hex(rb[1])}`;
  }
  return undefined;
}
