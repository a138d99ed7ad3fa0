import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { SnapshotMeta } from '../../raft/index.js';
import { decodeSnapshotMeta, encodeSnapshotMeta } from './raft-codec.js';
import { join } from 'node:path';
import { Level } from 'level';
import { RosterError } from '../../util/errors.js';
import { LevelOrderedKv } from './level-kv.js';
import { failpointsEnabled, noteSynced } from './failpoints.js';
import { SnapshotReader, verifySnapshotFile, writeSnapshotFile, type SnapshotHeader, type SnapshotRecord } from './snapshot-file.js';

type Db = Level<Uint8Array, Uint8Array>;

/** Key prefixes of the state database: one per store that lives in it. */
export const STATE_PREFIX = {
  kv: Uint8Array.of(0x6b), // 'k': the MVCC key-value store
  cluster: Uint8Array.of(0x63), // 'c': cluster metadata (members and their addresses)
} as const;

/** Keys below every store's prefix, kept out of snapshot images (which start at 0x01). */
export const SYNC_MARKER = Uint8Array.of(0x00);
export const INSTALLED_SNAPSHOT_KEY = Uint8Array.of(0x00, 0x01);
export const SNAPSHOT_IMAGE_START = Uint8Array.of(0x01);
/** Records read from LevelDB per page while writing a snapshot file. */
const SNAPSHOT_PAGE = 1024;

/**
 * The replicated state of one server: a LevelDB database under `<data>/state/gen-N`, the
 * current N named by `<data>/state/CURRENT`. Installing a snapshot builds generation N+1 from
 * the snapshot file beside the running one and switches CURRENT with an atomic rename, so a
 * crash at any moment leaves either the old state or the new one, never a mixture.
 */
export class StateDb {
  private constructor(
    private readonly root: string,
    private generation: number,
    private db: Db,
  ) {}

  static async open(dataDir: string): Promise<StateDb> {
    const root = join(dataDir, 'state');
    await mkdir(root, { recursive: true });
    let generation = 1;
    try {
      generation = Number((await readFile(join(root, 'CURRENT'), 'utf8')).trim());
      if (!Number.isInteger(generation) || generation < 1) throw new RosterError('STORAGE_CORRUPT', `state/CURRENT names no generation`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await writePointer(root, generation);
    }
    const db = await openDb(join(root, `gen-${generation}`));
    return new StateDb(root, generation, db);
  }

  /** An OrderedKv over one store's prefix; it follows snapshot installs. */
  store(prefix: Uint8Array): LevelOrderedKv {
    return new LevelOrderedKv(() => this.db, prefix);
  }

  /**
   * Writes the whole state, as it is at the moment of the call, to a snapshot file. The caller
   * calls it between two applied batches, so the image is exactly the state at `header.meta.index`;
   * writing the file then runs alongside further applies (LevelDB iterators read a snapshot).
   * The file is then read back and verified: one that does not verify is removed and refused
   * (BAD_SNAPSHOT), so nothing is ever sent or saved that its reader would reject.
   */
  async writeSnapshot(path: string, header: SnapshotHeader): Promise<{ bytes: number; records: number }> {
    const written = await this.writeSnapshotUnverified(path, header);
    try {
      const check = await verifySnapshotFile(path);
      if (check.records !== written.records) throw new RosterError('BAD_SNAPSHOT', `${path} holds ${check.records} records, ${written.records} were written`);
    } catch (err) {
      await rm(path, { force: true });
      throw new RosterError('BAD_SNAPSHOT', `the snapshot just written at index ${header.meta.index} is refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    return written;
  }

  private writeSnapshotUnverified(path: string, header: SnapshotHeader): Promise<{ bytes: number; records: number }> {
    // Store prefixes are printable; everything at 0x00... is this module's bookkeeping.
    const it = this.db.iterator({ gte: SNAPSHOT_IMAGE_START });
    // Pages of records (nextv), not one await per record: millions of records take seconds.
    async function* pages(): AsyncIterable<readonly SnapshotRecord[]> {
      try {
        for (;;) {
          const page = await it.nextv(SNAPSHOT_PAGE);
          if (page.length === 0) return;
          yield page;
        }
      } finally {
        await it.close();
      }
    }
    return writeSnapshotFile(path, header, pages());
  }

  /**
   * Replaces the whole state with a verified snapshot file whose header `accept` approves;
   * returns its header. The new generation also records the snapshot's Raft metadata (see
   * installedSnapshot), so a crash between this and the Raft log's own record is repaired on
   * the next start.
   */
  async installSnapshot(path: string, accept: (h: SnapshotHeader) => string | undefined = () => undefined, onRecord: () => void = () => undefined): Promise<SnapshotHeader> {
    const next = this.generation + 1;
    const dir = join(this.root, `gen-${next}`);
    await rm(dir, { recursive: true, force: true });
    const fresh = await openDb(dir);
    const reader = new SnapshotReader(path);
    try {
      // A chained batch takes each record as it is added (copied into LevelDB's batch, so the
      // reader's buffers can go); written every 4 MiB.
      let batch = fresh.batch();
      let size = 0;
      for await (const records of reader.batches()) {
        for (const [key, value] of records) {
          batch.put(key, value);
          size += key.length + value.length;
          onRecord();
        }
        if (size > 4 << 20) {
          await batch.write();
          batch = fresh.batch();
          size = 0;
        }
      }
      if (!reader.verified() || reader.header === undefined) throw new RosterError('BAD_SNAPSHOT', 'snapshot file did not verify');
      const refusal = accept(reader.header);
      if (refusal !== undefined) throw new RosterError('BAD_SNAPSHOT', refusal);
      batch.put(INSTALLED_SNAPSHOT_KEY, encodeSnapshotMeta(reader.header.meta));
      await batch.write({ sync: true });
      if (failpointsEnabled) noteSynced(dir);
    } catch (err) {
      await fresh.close();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    await writePointer(this.root, next);
    const old = this.db;
    const oldDir = join(this.root, `gen-${this.generation}`);
    this.db = fresh;
    this.generation = next;
    await old.close();
    await rm(oldDir, { recursive: true, force: true });
    return reader.header;
  }

  /** The Raft metadata of the last snapshot installed into this state, if any. */
  async installedSnapshot(): Promise<SnapshotMeta | undefined> {
    const bytes = await this.db.get(INSTALLED_SNAPSHOT_KEY);
    return bytes === undefined ? undefined : decodeSnapshotMeta(bytes);
  }

  /** Makes every earlier state write durable (before the Raft log may be compacted past it). */
  async sync(): Promise<void> {
    await this.db.put(SYNC_MARKER, new Uint8Array(0), { sync: true });
    if (failpointsEnabled) noteSynced(join(this.root, `gen-${this.generation}`));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

async function openDb(dir: string): Promise<Db> {
  const db: Db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return db;
}

async function writePointer(root: string, generation: number): Promise<void> {
  const tmp = join(root, 'CURRENT.tmp');
  await writeFile(tmp, `${generation}\n`, { flush: true });
  await rename(tmp, join(root, 'CURRENT'));
  await syncDir(root);
}

/** Makes a rename durable (the directory entry), not only the file's contents. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
