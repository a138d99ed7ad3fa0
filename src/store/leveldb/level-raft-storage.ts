import { Level } from 'level';
import { EMPTY_CONF, EMPTY_DATA, LogWindow, bootstrapSnapshot, type ConfState, type Entry, type HardState, type RaftStorage, type Snapshot, type SnapshotMeta } from '../../raft/index.js';
import { invariant } from '../../util/assert.js';
import { RosterError } from '../../util/errors.js';
import { failpoint, failpointsEnabled, noteSynced } from './failpoints.js';
import { NO_NODE, type LogIndex, type Term } from '../../util/ids.js';
import {
  COMPACTION_KEY,
  ENTRY_PREFIX,
  HARD_STATE_KEY,
  LOG_START_KEY,
  decodeEntry,
  decodeLogStart,
  decodeHardState,
  decodeSnapshotMeta,
  encodeEntry,
  encodeHardState,
  encodeLogStart,
  encodeSnapshotMeta,
  entryKey,
  indexOfEntryKey,
} from './raft-codec.js';

type BatchOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

/** A range of keys, as LevelDB takes it. */
export interface KeyRange {
  readonly gt?: Uint8Array;
  readonly lt?: Uint8Array;
}

/**
 * What the Raft log needs of its database: the few LevelDB calls it makes. The server opens a
 * LevelDB (`level`); the simulator gives it an in-memory disk with faults and power loss.
 */
export interface RaftLogDb {
  readonly status: string;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** An atomic batch; with `sync`, it and every write before it are on disk when it resolves. */
  batch(ops: BatchOp[], opts: { sync: boolean }): Promise<void>;
  iterator(range: KeyRange): AsyncIterable<[Uint8Array, Uint8Array]>;
  keys(range: KeyRange): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Opens the log's database (again, after a failed write: see reopen). */
export type RaftLogDbOpener = () => Promise<RaftLogDb>;


/** What one Ready asks to make durable. */
export interface RaftWrite {
  readonly hardState?: HardState | undefined;
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader: the log restarts after it. */
  readonly snapshot?: SnapshotMeta | undefined;
}

export interface OpenOptions {
  /** For a founding member of a new cluster: its initial membership. Ignored if the log exists. */
  readonly bootstrap?: ConfState;
}

/**
 * The Raft log, hard state and compaction point in a LevelDB database of their own.
 *
 * The core reads synchronously (RaftStorage), so the log since the last compaction is mirrored
 * in memory (bounded by snapshotting); every write goes to LevelDB first as one atomic batch,
 * and the mirror changes only once the batch is written. On open, every entry's checksum and
 * index are verified: a damaged tail (a torn write) is dropped and deleted, never served, and
 * damage inside the committed log refuses to start.
 */
export class LevelRaftStorage implements RaftStorage {
  private hardState: HardState;
  /** The state is covered by the state store up to here (the Raft "snapshot" point). */
  private compaction: SnapshotMeta;
  /** The stored log, mirrored in memory (it changes only after a write lands). */
  private readonly log: LogWindow;
  private prepared: Snapshot | undefined;
  /** Called when the core needs a snapshot to send and none is prepared. */
  onSnapshotNeeded: () => void = () => {};

  private constructor(
    private db: RaftLogDb,
    private readonly openDb: RaftLogDbOpener,
    /** The directory (for failpoints' bookkeeping), or a name in the simulator. */
    private readonly dir: string,
    hardState: HardState,
    compaction: SnapshotMeta,
    log: LogWindow,
    readonly recovery: { droppedTail: number },
  ) {
    this.hardState = hardState;
    this.compaction = compaction;
    this.log = log;
  }

  static open(dir: string, opts: OpenOptions = {}): Promise<LevelRaftStorage> {
    return LevelRaftStorage.openOn(() => openLog(dir), dir, opts);
  }

  /** Opens the log on the database `openDb` gives (the simulator's disk, or LevelDB at `dir`). */
  static async openOn(openDb: RaftLogDbOpener, dir: string, opts: OpenOptions = {}): Promise<LevelRaftStorage> {
    const db = await openDb();
    try {
      return await LevelRaftStorage.load(db, openDb, dir, opts);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  private static async load(db: RaftLogDb, openDb: RaftLogDbOpener, dir: string, opts: OpenOptions): Promise<LevelRaftStorage> {
    const [hsBytes, compactionBytes] = await db.getMany([HARD_STATE_KEY, COMPACTION_KEY]);
    let hardState: HardState = hsBytes === undefined ? { term: 0, vote: NO_NODE, commit: 0 } : decodeHardState(hsBytes);
    let compaction: SnapshotMeta = compactionBytes === undefined ? { index: 0, term: 0, conf: EMPTY_CONF } : decodeSnapshotMeta(compactionBytes);
    if (hsBytes === undefined && compactionBytes === undefined && opts.bootstrap !== undefined) {
      // A founding member: every member starts from the same bootstrap snapshot.
      compaction = bootstrapSnapshot(opts.bootstrap).meta;
      hardState = { term: compaction.term, vote: NO_NODE, commit: compaction.index };
      await db.batch(
        [
          { type: 'put', key: COMPACTION_KEY, value: encodeSnapshotMeta(compaction) },
          { type: 'put', key: HARD_STATE_KEY, value: encodeHardState(hardState) },
        ],
        { sync: true },
      );
      if (failpointsEnabled) noteSynced(dir);
    }
    // The placeholder: the entry just before the first stored one (the log may keep a tail
    // below the compaction point).
    const startBytes = await db.get(LOG_START_KEY);
    const start = startBytes === undefined ? { index: compaction.index, term: compaction.term } : decodeLogStart(startBytes);
    const placeholder = { index: start.index, term: start.term };
    const ents: Entry[] = [];
    let dropped = 0;
    let damagedAt: LogIndex | undefined;
    for await (const [key, value] of db.iterator({ gt: entryKey(placeholder.index), lt: Uint8Array.of(ENTRY_PREFIX + 1) })) {
      const expected = placeholder.index + ents.length + 1;
      const e = damagedAt === undefined ? decodeEntry(value) : undefined;
      if (damagedAt === undefined && (e === undefined || e.index !== expected || indexOfEntryKey(key) !== expected)) damagedAt = indexOfEntryKey(key);
      if (damagedAt !== undefined) {
        dropped++;
        continue;
      }
      ents.push(e!);
    }
    const last = placeholder.index + ents.length;
    if (damagedAt !== undefined) {
      if (damagedAt <= hardState.commit) {
        throw new RosterError('STORAGE_CORRUPT', `raft log entry ${damagedAt} is damaged but committed (commit ${hardState.commit}); refusing to start`, { index: damagedAt });
      }
      // A torn tail: those entries were never acknowledged (they were not durable), so they
      // are dropped; the leader will send them again if they matter.
      const ops: BatchOp[] = [];
      for await (const key of db.keys({ gt: entryKey(last), lt: Uint8Array.of(ENTRY_PREFIX + 1) })) ops.push({ type: 'del', key });
      await db.batch(ops, { sync: true });
      if (failpointsEnabled) noteSynced(dir);
    }
    invariant(hardState.commit <= Math.max(last, compaction.index), () => `commit ${hardState.commit} beyond the stored log (last ${last})`);
    return new LevelRaftStorage(db, openDb, dir, hardState, compaction, new LogWindow(placeholder.index, placeholder.term, ents), { droppedTail: dropped });
  }

  // ---- RaftStorage (synchronous reads of the mirror) ----

  initialState(): { hardState: HardState; conf: ConfState; snapshotIndex: LogIndex } {
    return { hardState: this.hardState, conf: this.compaction.conf, snapshotIndex: this.compaction.index };
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Entry[] {
    return this.log.entries(lo, hi, maxBytes);
  }

  term(index: LogIndex): Term | undefined {
    return this.log.term(index);
  }

  firstIndex(): LogIndex {
    return this.log.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.log.lastIndex();
  }

  /** The prepared snapshot for a follower behind the log, or undefined while one is prepared. */
  snapshot(): Snapshot | undefined {
    if (this.prepared !== undefined && this.prepared.meta.index >= this.log.firstIndex() - 1) return this.prepared;
    this.onSnapshotNeeded();
    return undefined;
  }

  compactionPoint(): SnapshotMeta {
    return this.compaction;
  }

  // ---- driver writes ----

  /** Offers a snapshot of the state store, taken at `meta.index`, to followers. */
  setPreparedSnapshot(meta: SnapshotMeta): void {
    this.prepared = { meta, data: EMPTY_DATA };
  }

  preparedSnapshot(): SnapshotMeta | undefined {
    return this.prepared?.meta;
  }

  /** Makes one Ready durable as a single LevelDB batch (fsynced if `sync`). */
  async persist(w: RaftWrite, sync: boolean): Promise<void> {
    const ops: BatchOp[] = [];
    // The window as it will be once this write lands (the mirror changes only then).
    let first = this.log.firstIndex();
    let last = this.log.lastIndex();
    if (w.snapshot !== undefined) {
      // The log is replaced: everything stored goes.
      for (let i = first; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
      ops.push({ type: 'put', key: COMPACTION_KEY, value: encodeSnapshotMeta(w.snapshot) });
      ops.push({ type: 'put', key: LOG_START_KEY, value: encodeLogStart(w.snapshot) });
      first = w.snapshot.index + 1;
      last = w.snapshot.index;
    }
    if (w.entries.length > 0) {
      const from = w.entries[0]!.index;
      const newLast = w.entries[w.entries.length - 1]!.index;
      invariant(from <= last + 1, () => `append at ${from} leaves a gap after ${last}`);
      // Stored entries past the new end belong to a replaced suffix.
      for (let i = Math.max(newLast + 1, first); i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
      for (const e of w.entries) if (e.index >= first) ops.push({ type: 'put', key: entryKey(e.index), value: encodeEntry(e) });
    }
    if (w.hardState !== undefined) ops.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(w.hardState) });
    if (ops.length > 0) await this.write(ops, sync);
    if (w.snapshot !== undefined) {
      this.log.reset(w.snapshot.index, w.snapshot.term);
      this.compaction = w.snapshot;
      this.prepared = undefined;
    }
    this.log.append(w.entries);
    if (w.hardState !== undefined) this.hardState = w.hardState;
  }

  /**
   * Moves the compaction point to `point` (the state store must already hold it durably) and
   * deletes the log up to `upTo` (<= point.index), keeping a tail for followers slightly behind.
   */
  async compact(point: SnapshotMeta, upTo: LogIndex): Promise<void> {
    // A snapshot installed meanwhile may have moved the log past this point: never go back.
    if (point.index <= this.compaction.index || point.index < this.firstIndex() - 1) return;
    invariant(upTo <= point.index, () => `compact(${upTo}) beyond the compaction point ${point.index}`);
    invariant(point.index <= this.lastIndex(), () => `compaction point ${point.index} beyond the log (${this.lastIndex()})`);
    const offset = this.log.firstIndex() - 1;
    const ops: BatchOp[] = [{ type: 'put', key: COMPACTION_KEY, value: encodeSnapshotMeta(point) }];
    for (let i = offset + 1; i <= upTo; i++) ops.push({ type: 'del', key: entryKey(i) });
    if (upTo > offset) ops.push({ type: 'put', key: LOG_START_KEY, value: encodeLogStart({ index: upTo, term: this.log.term(upTo)! }) });
    await this.write(ops, true);
    this.compaction = point;
    this.log.compact(upTo);
  }

  /**
   * Closes and opens the database again, after a failed write. LevelDB may have appended part
   * of the failed batch to its write-ahead log; writing on after it could leave later records
   * unreadable, so the log is recovered (a partial record is dropped) and a fresh one started.
   * The mirror is unchanged: it only ever holds what a write that succeeded made durable.
   */
  async reopen(): Promise<void> {
    if (this.db.status === 'open') await this.db.close();
    this.db = await this.openDb();
  }

  async close(): Promise<void> {
    if (this.db.status === 'open') await this.db.close();
  }

  /** One atomic write. */
  private async write(ops: readonly BatchOp[], sync: boolean): Promise<void> {
    // Test-only faults (failpoints.ts); one boolean when off.
    if (failpointsEnabled) await failpoint('raft-log-write');
    const skipSync = failpointsEnabled && sync && (await failpoint('raft-fsync'));
    await this.db.batch(ops as BatchOp[], { sync: sync && !skipSync });
    if (failpointsEnabled && sync && !skipSync) noteSynced(this.dir);
  }
}

/**
 * LevelDB at `dir`. What the log reads back at open is durable: LevelDB's recovery (with
 * reuse_logs off, its default, and classic-level does not turn it on) writes what it replays
 * from the write-ahead log, page cache included, into a level-0 table that it fsyncs before the
 * open completes. So a server restarted after kill -9 may acknowledge entries it never fsynced
 * itself, and a later power loss cannot take them (the simulator's disk models exactly this:
 * test/sim/server/sim-disk.ts).
 */
async function openLog(dir: string): Promise<RaftLogDb> {
  // The log is written in order and read back only at start (the core reads the in-memory
  // mirror), so it needs no block cache to speak of.
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view', cacheSize: 512 * 1024 });
  await db.open();
  return {
    get status() {
      return db.status;
    },
    get: async (key) => (await db.get(key)) ?? undefined,
    getMany: async (keys) => (await db.getMany(keys)).map((v) => v ?? undefined),
    batch: async (ops, opts) => {
      // A chained batch: each op goes to the native batch as it is added (cheaper per op).
      const batch = db.batch();
      for (const op of ops) {
        if (op.type === 'put') batch.put(op.key, op.value);
        else batch.del(op.key);
      }
      await batch.write(opts);
    },
    iterator: (range) => db.iterator(range),
    keys: (range) => db.keys(range),
    close: () => db.close(),
  };
}
