import type { ApplierStateDb, SnapshotFiles } from '../../../src/server/applier.js';
import type { SnapshotMeta } from '../../../src/raft/index.js';
import type { KvEntry, KvOp, OrderedKv, ScanRange } from '../../../src/store/kv/ordered-kv.js';
import { decodeSnapshotMeta, encodeSnapshotMeta } from '../../../src/store/leveldb/raft-codec.js';
import type { SnapshotHeader } from '../../../src/store/leveldb/snapshot-file.js';
import { INSTALLED_SNAPSHOT_KEY, SNAPSHOT_IMAGE_START, SYNC_MARKER } from '../../../src/store/leveldb/state-db.js';
import { RosterError } from '../../../src/util/errors.js';
import { prefixedKey } from '../../../src/store/leveldb/level-kv.js';
import type { SimDb } from './sim-disk.js';

/** A snapshot file in the simulator: its header and every record of the state it images. */
export interface SimSnapshotImage {
  readonly header: SnapshotHeader;
  readonly records: readonly (readonly [Uint8Array, Uint8Array])[];
}

/**
 * One server's snapshot directory, in memory. Files live as long as the process would keep
 * them: a server removes every leftover at start (server-node.ts), so the simulator clears it.
 */
export class SimSnapshotDir implements SnapshotFiles {
  readonly files = new Map<string, SimSnapshotImage>();

  list(dir: string): Promise<string[]> {
    const names = [...this.files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1));
    return Promise.resolve(names.sort());
  }

  remove(path: string): Promise<void> {
    this.files.delete(path);
    return Promise.resolve();
  }
}

/**
 * The server's state database (StateDb) as the simulator keeps it: the same key layout in one
 * database on a simulated disk (sim-disk.ts), with StateDb's durability. Applied batches are
 * written unsynced (a power loss may drop them; the Raft log rebuilds them); `sync` makes every
 * earlier write durable; a snapshot install replaces the whole state in one synced write (as
 * StateDb's switch to a new generation does) and records the snapshot's Raft metadata.
 * What differs: snapshot files are images in memory, not StateDb's file format.
 */
export class SimStateDb implements ApplierStateDb {
  constructor(
    private readonly db: SimDb,
    private readonly dir: SimSnapshotDir,
    /**
     * A snapshot image is being taken: called at once (while the state is exactly as of the
     * header's index), it returns what to call with the image once read.
     */
    private readonly onImage: (header: SnapshotHeader) => (image: SimSnapshotImage) => void,
    /** A sync call, and when it completes: what it made durable is the state as of the call. */
    private readonly onSync: () => () => void,
  ) {}

  store(prefix: Uint8Array): OrderedKv {
    return new SimPrefixedKv(this.db, prefix);
  }

  async writeSnapshot(path: string, header: SnapshotHeader): Promise<{ bytes: number; records: number }> {
    // Taken at the call, as StateDb's iterator is: later applies do not change the image.
    const scan = this.db.scan({ gte: SNAPSHOT_IMAGE_START });
    const taken = this.onImage(header);
    const records: [Uint8Array, Uint8Array][] = [];
    for await (const r of scan) records.push(r);
    const image: SimSnapshotImage = { header, records };
    taken(image);
    this.dir.files.set(path, image);
    return { bytes: records.reduce((n, [k, v]) => n + k.length + v.length, 0), records: records.length };
  }

  async installSnapshot(path: string, accept: (h: SnapshotHeader) => string | undefined = () => undefined): Promise<SnapshotHeader> {
    const image = this.dir.files.get(path);
    if (image === undefined) throw new RosterError('BAD_SNAPSHOT', `no snapshot file at ${path}`);
    const refusal = accept(image.header);
    if (refusal !== undefined) throw new RosterError('BAD_SNAPSHOT', refusal);
    await this.db.replaceAll([...image.records.map(([key, value]) => ({ key, value })), { key: INSTALLED_SNAPSHOT_KEY, value: encodeSnapshotMeta(image.header.meta) }]);
    return image.header;
  }

  async installedSnapshot(): Promise<SnapshotMeta | undefined> {
    const bytes = await this.db.get(INSTALLED_SNAPSHOT_KEY);
    return bytes === undefined ? undefined : decodeSnapshotMeta(bytes);
  }

  async sync(): Promise<void> {
    const done = this.onSync();
    await this.db.batch([{ type: 'put', key: SYNC_MARKER, value: new Uint8Array(0) }], { sync: true });
    done();
  }
}

/** One store's prefix of the state database, as LevelOrderedKv is over LevelDB. */
class SimPrefixedKv implements OrderedKv {
  constructor(
    private readonly db: SimDb,
    private readonly prefix: Uint8Array,
  ) {}

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.db.get(this.wrap(key));
  }

  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.db.getMany(keys.map((k) => this.wrap(k)));
  }

  async *scan(range: ScanRange): AsyncIterable<KvEntry> {
    const entries = this.db.scan({ gte: this.wrap(range.gte), lt: this.wrap(range.lt), reverse: range.reverse === true, limit: range.limit ?? -1 });
    for await (const [key, value] of entries) yield { key: key.subarray(this.prefix.length), value };
  }

  write(ops: readonly KvOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return this.db.batch(
      ops.map((op) => (op.type === 'put' ? { type: 'put' as const, key: this.wrap(op.key), value: op.value } : { type: 'del' as const, key: this.wrap(op.key) })),
      { sync: false },
    );
  }

  private wrap(key: Uint8Array): Uint8Array {
    return prefixedKey(this.prefix, key);
  }
}
