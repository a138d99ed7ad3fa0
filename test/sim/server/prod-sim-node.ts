import { repairAfterInstallCrash } from '../../../src/agent/server/install-repair.js';
import { RaftDriver, type ApplyPipeline, type DriverTimers } from '../../../src/agent/server/raft-driver.js';
import { EMPTY_DATA, RaftNode, type ConfState, type Entry, type Message, type SnapshotMeta, type SoftState } from '../../../src/raft/index.js';
import { diskFaultCode } from '../../../src/store/leveldb/disk-fault.js';
import { LevelRaftStorage } from '../../../src/store/leveldb/level-raft-storage.js';
import { COMPACTION_KEY, decodeEntry, decodeSnapshotMeta, entryKey } from '../../../src/store/leveldb/raft-codec.js';
import type { NodeId } from '../../../src/util/ids.js';
import { silentLogger } from '../../../src/util/logger.js';
import type { Rng } from '../../../src/util/rng.js';
import type { SimMember } from '../sim-member.js';
import type { SimHost } from '../sim-node.js';
import { PendingReads } from '../pending-reads.js';
import { coreSettings } from '../scenario.js';
import { ListStateMachine } from '../state-machine.js';
import { SimDisk, type DiskProfile } from './sim-disk.js';

/** What a production-driver node needs beyond a model node's host. */
export interface ProdSimHost extends SimHost {
  readonly faultsEndAt: number;
  /** The driver gave up (its fatal callback): a failure of the run. */
  driverFatal(node: ProdSimNode, err: unknown): void;
  /** Snapshot images by `index/term`: the state at a committed index is the same everywhere. */
  readonly snapshotImages: Map<string, Uint8Array>;
  onDiskFault(node: ProdSimNode, code: string): void;
}

const imageKey = (meta: { index: number; term: number }): string => `${meta.index}/${meta.term}`;

/**
 * One server run by the production RaftDriver over the production LevelRaftStorage, on a
 * simulated disk (sim-disk.ts) and simulated time: its ticks, its batching, its retries of
 * failed writes and its heartbeats through a slow fsync are the server's own code. The state
 * machine is the simulator's (the Applier and the stores are not run here yet); it is durable
 * the way the server's state is: it survives kill -9 (the page cache), and after a power loss
 * it is what was last synced, at a log compaction or a snapshot install.
 */
export class ProdSimNode implements SimMember {
  node: RaftNode | undefined;
  sm = new ListStateMachine();
  epoch = 0;
  removed = false;
  crashAtFirstCommit = false;
  readonly disk: SimDisk;
  private storage: LevelRaftStorage | undefined;
  private driver: RaftDriver | undefined;
  /** The state as of its last sync (what a power loss leaves). */
  private durableState: { index: number; data: Uint8Array } | undefined;
  /** The Raft metadata the state keeps of its last installed snapshot (synced with it). */
  private installedMeta: SnapshotMeta | undefined;
  private readonly reads = new PendingReads();
  private compacting = false;
  private preparing = false;
  /** Between start() and the log being open (or failing to open). */
  private opening = false;

  constructor(
    readonly id: NodeId,
    private readonly bootstrap: ConfState | undefined,
    private readonly host: ProdSimHost,
    private readonly rng: Rng,
    profile: DiskProfile,
  ) {
    this.disk = new SimDisk(host, rng.fork(), profile);
  }

  get up(): boolean {
    return this.node !== undefined;
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
      const code = diskFaultCode(err);
      if (code === undefined) {
        this.host.driverFatal(this, err);
        return;
      }
      // The server cannot start on a failing disk (a repair write at open failed): it exits,
      // and its supervisor starts it again.
      this.host.trace(`${this.id} failed to start (${code}); restarted by its supervisor in 200ms`);
      this.crash(false);
      const again = this.epoch;
      this.host.after(200, () => {
        if (again === this.epoch && !this.up) this.start();
      });
    });
  }

  private async open(epoch: number): Promise<void> {
    const storage = await LevelRaftStorage.openOn(() => this.disk.open(), `sim:${this.id}`, this.bootstrap === undefined ? {} : { bootstrap: this.bootstrap });
    if (epoch !== this.epoch) return; // crashed while opening
    // As the server does at start: a crash between installing a snapshot into the state and
    // recording it in the log leaves the state ahead; the log's record is written now.
    await repairAfterInstallCrash(storage, this.sm.index, () => Promise.resolve(this.installedMeta), silentLogger);
    if (epoch !== this.epoch) return;
    this.opening = false;
    const cp = storage.compactionPoint();
    if (this.sm.index < cp.index) {
      // Behind the log's start: the state synced with it (or the founding state, which is empty).
      if (this.durableState !== undefined && this.durableState.index >= cp.index) this.sm = ListStateMachine.decode(this.durableState.data, this.durableState.index);
      else if (this.durableState === undefined && this.bootstrap !== undefined) this.sm = ListStateMachine.decode(EMPTY_DATA, cp.index);
      else throw new Error(`${this.id}: state at ${this.sm.index} is behind the log's compaction point ${cp.index}`);
    }
    const node = new RaftNode({
      id: this.id,
      storage,
      rng: this.rng.fork(),
      ...coreSettings(this.host.scenario),
      applied: this.sm.index,
    });
    storage.onSnapshotNeeded = () => this.prepareSnapshot(epoch);
    this.storage = storage;
    this.node = node;
    this.reads.clear();
    this.compacting = false;
    this.preparing = false;
    this.driver = new RaftDriver({
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
      onAppended: (entries) => this.host.checker.onEntriesAppended(this.id, entries, node),
      fatal: (err) => {
        if (epoch === this.epoch) this.host.driverFatal(this, err);
      },
      onDiskFault: (_op, code) => this.host.onDiskFault(this, code),
    });
    this.driver.start();
    this.host.trace(`${this.id} up: ${this.describeLog()}`);
    this.driver.kick();
  }

  crash(powerLoss: boolean): void {
    this.epoch++;
    this.opening = false;
    this.driver?.stop();
    this.driver = undefined;
    this.node = undefined;
    this.storage = undefined;
    this.crashAtFirstCommit = false;
    this.reads.clear();
    this.disk.crash(powerLoss);
    // The state survives kill -9 as written (the page cache); a power loss leaves what was synced.
    if (powerLoss) this.sm = this.durableState === undefined ? new ListStateMachine() : ListStateMachine.decode(this.durableState.data, this.durableState.index);
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

  /** The driver hands committed entries here: the simulator's state machine applies them. */
  private pipeline(epoch: number): ApplyPipeline {
    return {
      enqueue: (entries) => {
        const node = this.node;
        if (epoch !== this.epoch || node === undefined || entries.length === 0) return;
        const checker = this.host.checker;
        checker.onCommitted(this.id, entries);
        if (node.role === 'leader') {
          checker.onLeaderCommitted(this.id, entries, node, (voter, e) => this.host.isDurable(voter, e));
          if (this.crashAtFirstCommit) {
            this.host.onLeaderCommitDecided(this);
            if (epoch !== this.epoch) return; // crashed by the fault schedule
          }
        }
        for (const e of entries) {
          const before = this.sm.index;
          this.sm.apply(e);
          checker.onApplied(this.id, e, before, this.sm.hash);
          this.host.onApplied(this, e);
        }
        this.serveReads();
        this.maybeCompact(epoch);
      },
      installSnapshot: (meta) => {
        if (epoch !== this.epoch) return new Promise<void>(() => {}); // a dead process: never
        const data = this.host.snapshotImages.get(imageKey(meta));
        if (data === undefined) throw new Error(`${this.id}: no snapshot image for ${imageKey(meta)}`);
        this.sm = ListStateMachine.decode(data, meta.index);
        this.durableState = { index: meta.index, data };
        this.installedMeta = meta;
        this.host.checker.onSnapshotRestored(this.id, this.sm.index, this.sm.hash);
        this.host.onSnapshotRestored(this, this.sm.index);
        return Promise.resolve();
      },
    };
  }

  private serveReads(): void {
    this.reads.serve(this.sm.index, (rs) => this.host.onReadServed(this, rs, this.sm.index));
  }

  /** The state's meta at its applied index, if the log still knows that index's term. */
  private metaNow(): SnapshotMeta | undefined {
    const storage = this.storage;
    const node = this.node;
    if (storage === undefined || node === undefined) return undefined;
    const cp = storage.compactionPoint();
    const term = this.sm.index === cp.index ? cp.term : storage.term(this.sm.index);
    return term === undefined ? undefined : { index: this.sm.index, term, conf: node.confStateAt(this.sm.index) };
  }

  /** As the Applier does between batches: sync the state, then let the driver compact the log. */
  private maybeCompact(epoch: number): void {
    const s = this.host.scenario;
    const storage = this.storage;
    const driver = this.driver;
    if (this.compacting || storage === undefined || driver === undefined) return;
    if (this.sm.index - storage.compactionPoint().index < s.snapshotEvery) return;
    const meta = this.metaNow();
    if (meta === undefined) return;
    const data = this.sm.encode();
    this.durableState = { index: meta.index, data };
    this.host.snapshotImages.set(imageKey(meta), data);
    this.compacting = true;
    void driver.compact(meta, Math.max(0, meta.index - s.snapshotKeepTail)).then(() => {
      if (epoch !== this.epoch) return;
      this.compacting = false;
      this.host.trace(`${this.id} compacted at ${meta.index}, log from ${storage.firstIndex()}`);
    });
  }

  /** The core needs a snapshot to send: one of the state now, as the Applier prepares one. */
  private prepareSnapshot(epoch: number): void {
    if (this.preparing) return;
    this.preparing = true;
    this.host.after(1, () => {
      if (epoch !== this.epoch) return;
      this.preparing = false;
      const meta = this.metaNow();
      if (meta === undefined || this.storage === undefined) return;
      this.host.snapshotImages.set(imageKey(meta), this.sm.encode());
      this.storage.setPreparedSnapshot(meta);
      this.driver?.kick();
    });
  }
}
