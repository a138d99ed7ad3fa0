import type { KeyRange, RaftLogDb } from '../../../src/store/leveldb/level-raft-storage.js';
import type { Rng } from '../../../src/util/rng.js';

/** `clear` empties the database first: a snapshot install replaces the whole state at once. */
type Op = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array } | { type: 'clear' };

/** A scan as LevelDB's iterator takes it (the state's stores read this way). */
export interface ScanOptions {
  readonly gte?: Uint8Array;
  readonly lt?: Uint8Array;
  readonly reverse?: boolean;
  /** At most this many entries; -1 or absent: all. */
  readonly limit?: number;
}

/** A database on the simulated disk: the Raft log's interface, and what the state needs besides. */
export interface SimDb extends RaftLogDb {
  scan(range: ScanOptions): AsyncIterable<[Uint8Array, Uint8Array]>;
  /** One atomic synced write that replaces everything the database holds with `puts`. */
  replaceAll(puts: readonly { key: Uint8Array; value: Uint8Array }[]): Promise<void>;
}

/** How the simulated disk behaves; drawn per seed (see disk-faults.ts). */
export interface DiskProfile {
  readonly minMs: number;
  readonly maxMs: number;
  /** Chance that one write stalls for 200 ms to `spikeMaxMs` (a slow fsync, a busy device). */
  readonly spikeRate: number;
  readonly spikeMaxMs: number;
  /** Chance that one write fails with EIO (nothing of it is applied: see below). */
  readonly eioRate: number;
}

/** The simulation around a disk: its clock and event queue. */
export interface DiskHost {
  readonly now: number;
  after(delayMs: number, fn: () => void): void;
  /** Faults stop here (the fault phase ends): spikes and full disks end by then, EIO stops. */
  readonly faultsEndAt: number;
}

interface Write {
  readonly ops: readonly Op[];
  readonly sync: boolean;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/**
 * One server's disk under its LevelDB, in memory, with the failures a real one has. It keeps
 * what the operating system holds (`visible`: every completed write) apart from what survives a
 * power loss (`durable`: as of the last synced write), as LevelDB on a file system does:
 *
 * - A write completes after a latency from the profile, sometimes a spike of seconds.
 * - A write may fail with EIO, or with ENOSPC while the disk is full. A failed LevelDB batch is
 *   never partly visible: a torn record in its write-ahead log is dropped whole on recovery.
 * - A synced write makes itself and every write before it durable (one log, fsynced in order).
 * - kill -9 of the process: completed writes stay (the page cache survives), writes still in
 *   flight reached the OS or not (a prefix of them did: the log is written in order); opening
 *   the database again makes what it finds durable (see open()).
 * - Power loss: what was never synced is lost, except a prefix of it that happened to reach
 *   the platter first; the first record after that prefix may be torn, and is dropped whole.
 *
 * Keys are kept as hex strings, whose order is the keys' byte order.
 */
export class SimDisk {
  private visible = new Map<string, Uint8Array>();
  private durable = new Map<string, Uint8Array>();
  /** Completed writes since the last synced one, oldest first. */
  private unsynced: Write[] = [];
  /** Writes of the running process not yet completed, in the order they were issued. */
  private inflight: { write: Write; settle: (err?: Error) => void }[] = [];
  /** Bumped when the process dies: its handles and pending writes are dead. */
  private incarnation = 0;
  /** ENOSPC until this time (simulated ms). */
  private fullUntil = -1;
  readonly stats = { writes: 0, synced: 0, eio: 0, enospc: 0, spikes: 0, tornOnPowerLoss: 0 };

  constructor(
    private readonly host: DiskHost,
    private readonly rng: Rng,
    private readonly profile: DiskProfile,
  ) {}

  /** The disk is full for `ms` from now: writes fail with ENOSPC. */
  fillFor(ms: number): void {
    this.fullUntil = Math.max(this.fullUntil, Math.min(this.host.now + ms, this.host.faultsEndAt));
  }

  /** Whether `key` holds `value` on what survives a power loss. */
  durableValue(key: Uint8Array): Uint8Array | undefined {
    return this.durable.get(hex(key));
  }

  /** The process died (kill -9, or with `powerLoss` the machine lost power). */
  crash(powerLoss: boolean): void {
    this.incarnation++;
    const pending = this.inflight.map((p) => p.write);
    this.inflight = [];
    if (!powerLoss) {
      // The log is appended in order: some prefix of the pending writes reached the OS.
      for (const w of pending.slice(0, this.rng.int(pending.length + 1))) this.land(w, false);
      return;
    }
    const candidates = [...this.unsynced, ...pending];
    const kept = this.rng.int(candidates.length + 1);
    if (kept < candidates.length) this.stats.tornOnPowerLoss++;
    this.visible = new Map(this.durable);
    this.unsynced = [];
    for (const w of candidates.slice(0, kept)) this.land({ ops: w.ops, sync: false }, false);
  }

  /**
   * Opens the database for the running process. LevelDB's recovery at open writes what it
   * recovered from the write-ahead log (page cache included) into a table file and fsyncs it,
   * so whatever a (re)opened database shows is durable from then on: a server that acknowledges
   * entries it read back after a kill -9 does not lose them to a later power loss.
   */
  open(): Promise<SimDb> {
    this.durable = new Map(this.visible);
    this.unsynced = [];
    return Promise.resolve(this.handle(this.incarnation));
  }

  private handle(incarnation: number): SimDb {
    let status = 'open';
    const alive = (): void => {
      if (status !== 'open' || incarnation !== this.incarnation) throw new Error('sim disk: database is not open');
    };
    // The iterators below are generator functions, which have a `this` of their own.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const disk = this;
    return {
      get status() {
        return status;
      },
      get: (key) => {
        alive();
        return Promise.resolve(this.visible.get(hex(key)));
      },
      getMany: (keys) => {
        alive();
        return Promise.resolve(keys.map((k) => this.visible.get(hex(k))));
      },
      batch: (ops, opts) => {
        alive();
        return this.write({ ops: ops.map((o) => ({ ...o })), sync: opts.sync }, incarnation);
      },
      iterator: (range) => {
        alive();
        return (async function* () {
          for (const k of disk.keysIn(range)) yield [unhex(k), disk.visible.get(k)!] as [Uint8Array, Uint8Array];
        })();
      },
      keys: (range) => {
        alive();
        return (async function* () {
          for (const k of disk.keysIn(range)) yield unhex(k);
        })();
      },
      scan: (range) => {
        alive();
        const entries = disk.scanEntries(range);
        return (async function* () {
          for (const e of entries) yield e;
        })();
      },
      replaceAll: (puts) => {
        alive();
        return this.write({ ops: [{ type: 'clear' }, ...puts.map((p) => ({ type: 'put' as const, key: p.key, value: p.value }))], sync: true }, incarnation);
      },
      close: () => {
        status = 'closed';
        return Promise.resolve();
      },
    };
  }

  private keysIn(range: KeyRange): string[] {
    const gt = range.gt === undefined ? undefined : hex(range.gt);
    const lt = range.lt === undefined ? undefined : hex(range.lt);
    return [...this.visible.keys()].filter((k) => (gt === undefined || k > gt) && (lt === undefined || k < lt)).sort();
  }

  /** A scan's entries, taken when it starts (a LevelDB iterator reads a snapshot). */
  private scanEntries(range: ScanOptions): [Uint8Array, Uint8Array][] {
    const gte = range.gte === undefined ? undefined : hex(range.gte);
    const lt = range.lt === undefined ? undefined : hex(range.lt);
    const keys = [...this.visible.keys()].filter((k) => (gte === undefined || k >= gte) && (lt === undefined || k < lt)).sort();
    if (range.reverse === true) keys.reverse();
    const taken = range.limit === undefined || range.limit < 0 ? keys : keys.slice(0, range.limit);
    return taken.map((k) => [unhex(k), this.visible.get(k)!]);
  }

  private write(w: Write, incarnation: number): Promise<void> {
    this.stats.writes++;
    const normal = this.rng.between(this.profile.minMs, this.profile.maxMs);
    const faulty = this.host.now < this.host.faultsEndAt;
    const spike = faulty && this.rng.chance(this.profile.spikeRate);
    if (spike) this.stats.spikes++;
    const latency = spike ? Math.max(normal, Math.min(200 + this.rng.int(Math.max(1, this.profile.spikeMaxMs - 200)), this.host.faultsEndAt - this.host.now)) : normal;
    return new Promise<void>((resolve, reject) => {
      const entry = { write: w, settle: (err?: Error) => (err === undefined ? resolve() : reject(err)) };
      this.inflight.push(entry);
      this.host.after(latency, () => {
        if (incarnation !== this.incarnation) return; // the process died: see crash()
        // Writes complete in the order they were issued (one write-ahead log).
        const i = this.inflight.indexOf(entry);
        const done = this.inflight.splice(0, i + 1);
        for (const d of done) d.settle(this.complete(d.write));
      });
    });
  }

  /** One write reaches the disk, or fails leaving nothing of itself visible. */
  private complete(w: Write): Error | undefined {
    if (this.host.now < this.fullUntil) {
      this.stats.enospc++;
      return Object.assign(new Error('ENOSPC: no space left on device (simulated)'), { code: 'ENOSPC' });
    }
    if (this.host.now < this.host.faultsEndAt && this.rng.chance(this.profile.eioRate)) {
      this.stats.eio++;
      return Object.assign(new Error('EIO: i/o error (simulated)'), { code: 'EIO' });
    }
    this.land(w, w.sync);
    return undefined;
  }

  private land(w: Write, sync: boolean): void {
    for (const op of w.ops) {
      if (op.type === 'clear') this.visible.clear();
      else if (op.type === 'put') this.visible.set(hex(op.key), op.value.slice());
      else this.visible.delete(hex(op.key));
    }
    if (sync) {
      this.stats.synced++;
      this.durable = new Map(this.visible);
      this.unsynced = [];
    } else {
      this.unsynced.push(w);
    }
  }
}
