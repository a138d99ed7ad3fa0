import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { crc32 } from '../../util/crc32.js';
import type { SnapshotMeta } from '../../raft/index.js';
import { RosterError } from '../../util/errors.js';
import { nodeId } from '../../util/ids.js';

/**
 * A state image on disk: what a lagging follower receives, and what `snapshot save` writes.
 *
 *   "ROSTERSNAP1\n" | u32 header length | header JSON (Raft metadata, cluster id)
 *   records: u32 key length | key | u32 value length | value        (any number)
 *   trailer: u32 0xFFFFFFFF | u64 record count | u32 CRC32 of header and records
 *   etcd's seal (optional, when etcd's Maintenance.Snapshot sent it): zero bytes up to a multiple
 *   of 512, then the SHA-256 of everything before it, which etcdctl snapshot save requires
 *
 * A reader yields records as it goes, but a consumer must not trust them until `verified`
 * reports the trailer matched: an incomplete or damaged file is never installed.
 */
const MAGIC = new TextEncoder().encode('ROSTERSNAP1\n');
const END = 0xffffffff;

export interface SnapshotHeader {
  readonly meta: SnapshotMeta;
  readonly clusterId: string;
}

/** One record of a state image: a key and its value. */
export type SnapshotRecord = readonly [Uint8Array, Uint8Array];

/**
 * Writes a snapshot file from batches of records (a LevelDB iterator's nextv() pages). Each batch
 * is encoded into one buffer and checksummed in one pass, so the cost per record is a copy, not
 * an await: a state of millions of records is written at the speed its iterator reads.
 */
export async function writeSnapshotFile(path: string, header: SnapshotHeader, batches: AsyncIterable<readonly SnapshotRecord[]>): Promise<{ bytes: number; records: number }> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    let crc = 0;
    let bytes = 0;
    let count = 0;
    let buf: Uint8Array[] = [];
    let buffered = 0;
    const push = async (b: Uint8Array, checked: boolean): Promise<void> => {
      if (checked) crc = crc32(b, crc);
      buf.push(b);
      buffered += b.length;
      bytes += b.length;
      if (buffered >= 1 << 20) await flush();
    };
    const flush = async (): Promise<void> => {
      if (buf.length === 0) return;
      await fh.write(buf.length === 1 ? buf[0]! : Buffer.concat(buf));
      buf = [];
      buffered = 0;
    };
    const headerBytes = new TextEncoder().encode(JSON.stringify({ index: header.meta.index, term: header.meta.term, voters: header.meta.conf.voters, learners: header.meta.conf.learners, clusterId: header.clusterId }));
    await push(MAGIC, false);
    await push(u32(headerBytes.length), true);
    await push(headerBytes, true);
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      await push(encodeRecords(batch), true);
      count += batch.length;
    }
    const trailer = new Uint8Array(16);
    const view = new DataView(trailer.buffer);
    view.setUint32(0, END);
    view.setUint32(4, Math.floor(count / 0x1_0000_0000));
    view.setUint32(8, count >>> 0);
    view.setUint32(12, crc);
    await push(trailer, false);
    await flush();
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
    return { bytes, records: count };
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Records as the file holds them, one after another: u32 key length, key, u32 value length, value. */
function encodeRecords(batch: readonly SnapshotRecord[]): Buffer {
  let size = 0;
  for (const [k, v] of batch) size += 8 + k.length + v.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [k, v] of batch) {
    out.writeUInt32BE(k.length, at);
    out.set(k, at + 4);
    at += 4 + k.length;
    out.writeUInt32BE(v.length, at);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}

/** Reads a snapshot file: its header, then its records; `verified()` is true only at a good end. */
export class SnapshotReader {
  header: SnapshotHeader | undefined;
  private ok = false;

  constructor(private readonly path: string) {}

  verified(): boolean {
    return this.ok;
  }

  /** The records one by one (see batches()). */
  async *records(): AsyncIterable<SnapshotRecord> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The records in batches: every complete record in the bytes read so far is parsed at once
   * (and checksummed in one pass), so reading costs a copy per record, not an await. Records
   * view the file's buffers; a consumer that keeps them keeps those.
   */
  async *batches(): AsyncIterable<readonly SnapshotRecord[]> {
    const fileBytes = (await stat(this.path)).size;
    const r = new ByteReader(createReadStream(this.path, { highWaterMark: 1 << 20 }));
    const magic = await r.take(MAGIC.length);
    if (!equal(magic, MAGIC)) throw bad('not a Roster snapshot file');
    let crc = 0;
    const hlenBytes = await r.take(4);
    crc = crc32(hlenBytes, crc);
    const headerBytes = await r.take(readU32(hlenBytes));
    crc = crc32(headerBytes, crc);
    const h = JSON.parse(new TextDecoder().decode(headerBytes)) as { index: number; term: number; voters: string[]; learners: string[]; clusterId: string };
    this.header = { meta: { index: h.index, term: h.term, conf: { voters: h.voters.map(nodeId), learners: h.learners.map(nodeId) } }, clusterId: h.clusterId };
    let count = 0;
    for (;;) {
      const buf = r.buffered();
      const out: SnapshotRecord[] = [];
      let at = 0;
      while (buf.length - at >= 4 && buf.readUInt32BE(at) !== END) {
        const size = recordBytes(buf, at);
        if (buf.length - at < size) break;
        const klen = buf.readUInt32BE(at);
        out.push([buf.subarray(at + 4, at + 4 + klen), buf.subarray(at + 8 + klen, at + size)]);
        at += size;
      }
      if (out.length > 0) {
        crc = crc32(buf.subarray(0, at), crc);
        count += out.length;
        r.consume(at);
        yield out;
        continue;
      }
      if (buf.length >= 4 && buf.readUInt32BE(0) === END) {
        await r.take(4);
        const rest = await r.take(12);
        const view = new DataView(rest.buffer, rest.byteOffset, 12);
        const expectedCount = view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
        if (expectedCount !== count || view.getUint32(8) !== crc) throw bad('checksum or record count mismatch');
        if (!(await r.atEnd())) await checkEtcdSeal(r, this.path);
        this.ok = true;
        return;
      }
      // Not one whole record buffered: read what it needs in one go (joined once, so a long
      // record costs one copy), refusing at once a length past the file's end.
      const need = recordBytes(buf, 0);
      if (r.taken + need > fileBytes) throw bad('truncated');
      await r.fill(need);
    }
  }
}

/**
 * The bytes of the record starting at `at` (both lengths included), as far as `buf` holds its
 * length fields: when they are not all there yet, the bytes needed to read the next one.
 */
function recordBytes(buf: Buffer, at: number): number {
  if (buf.length - at < 4) return 4;
  const klen = buf.readUInt32BE(at);
  if (buf.length - at < 8 + klen) return 8 + klen;
  return 8 + klen + buf.readUInt32BE(at + 4 + klen);
}

/** A snapshot file read whole whose trailer matched. */
export interface VerifiedSnapshot {
  readonly header: SnapshotHeader;
  readonly records: number;
  readonly bytes: number;
}

/**
 * Reads a snapshot file whole and checks it (magic, lengths, record count, CRC): the one check
 * every user of a file runs before trusting it, whether it was just written (before it is sent
 * or saved), received from a leader, or given to `snapshot inspect|restore`. A file that does not
 * verify is a BAD_SNAPSHOT RosterError saying why; `onProgress` hears the fraction read now and then.
 */
export async function verifySnapshotFile(path: string, onProgress: (fraction: number) => void = () => undefined): Promise<VerifiedSnapshot> {
  const bytes = (await stat(path)).size;
  const reader = new SnapshotReader(path);
  let records = 0;
  let read = 0;
  try {
    for await (const batch of reader.batches()) {
      for (const [k, v] of batch) read += k.length + v.length + 8;
      records += batch.length;
      onProgress(read / Math.max(1, bytes));
    }
  } catch (err) {
    if (err instanceof RosterError || err instanceof SyntaxError) throw new RosterError('BAD_SNAPSHOT', `${path} does not verify: ${err.message.replace(/^snapshot file: /, '')}`);
    throw err;
  }
  if (!reader.verified() || reader.header === undefined) throw new RosterError('BAD_SNAPSHOT', `${path} does not verify`);
  return { header: reader.header, records, bytes };
}

/** The raw bytes of a snapshot file, in pieces (for streaming to a follower). */
export async function* snapshotFileBytes(path: string): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
}

/** Receives streamed bytes into a file (no parsing: the installer verifies it). */
export async function receiveSnapshotFile(path: string, data: AsyncIterable<Uint8Array>): Promise<number> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  let bytes = 0;
  try {
    for await (const piece of data) {
      await fh.write(piece);
      bytes += piece.length;
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
    return bytes;
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

/** etcd's snapshot files end with their SHA-256 at a length of 32 past a multiple of 512 (etcdctl checks the length). */
const ETCD_SEAL_ALIGN = 512;
const SHA256_BYTES = 32;

/**
 * After the trailer: only etcd's seal may follow, zeros then the SHA-256 of the file before it.
 * Only a sealed file pays for the hash: it is read again up to the seal, so the readers of every
 * other snapshot (installs, verification) hash nothing.
 */
async function checkEtcdSeal(r: ByteReader, path: string): Promise<void> {
  const before = r.taken;
  const rest = await r.takeAll(ETCD_SEAL_ALIGN + SHA256_BYTES);
  if (rest === undefined || rest.length < SHA256_BYTES || (before + rest.length) % ETCD_SEAL_ALIGN !== SHA256_BYTES) throw bad('trailing bytes after the trailer');
  const sealedBytes = before + rest.length - SHA256_BYTES;
  if (!rest.subarray(0, rest.length - SHA256_BYTES).every((b) => b === 0)) throw bad('trailing bytes after the trailer');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start: 0, end: sealedBytes - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  if (!equal(hash.digest(), rest.subarray(rest.length - SHA256_BYTES))) throw bad("etcd's SHA-256 seal does not match the file");
}

const EMPTY = Buffer.alloc(0);

class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  /** Bytes handed out so far (where etcd's seal would start). */
  taken = 0;
  private readonly it: AsyncIterator<Buffer>;
  private ended = false;

  constructor(stream: AsyncIterable<Buffer>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  async take(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const out = this.buffered().subarray(0, n);
    this.consume(n);
    return out;
  }

  /** Reads the next chunk; a file that ends first is truncated. */
  private async more(): Promise<void> {
    const next = this.ended ? { done: true as const, value: undefined } : await this.it.next();
    if (next.done === true) {
      this.ended = true;
      throw bad('truncated');
    }
    this.chunks.push(next.value);
    this.have += next.value.length;
  }

  /** Reads until at least `n` bytes are buffered (not joined until buffered() or take()). */
  async fill(n: number): Promise<void> {
    while (this.have < n) await this.more();
  }

  /** The bytes read and not yet taken, as one buffer. */
  buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? EMPTY;
  }

  /** Takes `n` bytes of buffered() without copying them. */
  consume(n: number): void {
    const all = this.buffered();
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.have = rest.length;
    this.taken += n;
  }

  /** Everything left, if it is at most `max` bytes (undefined past that). */
  async takeAll(max: number): Promise<Buffer | undefined> {
    for (;;) {
      if (this.have > max) return undefined;
      const next = this.ended ? { done: true as const, value: undefined } : await this.it.next();
      if (next.done === true) {
        this.ended = true;
        const all = Buffer.concat(this.chunks);
        this.chunks = [];
        this.have = 0;
        return all;
      }
      this.chunks.push(next.value);
      this.have += next.value.length;
    }
  }

  async atEnd(): Promise<boolean> {
    if (this.have > 0) return false;
    if (this.ended) return true;
    const next = await this.it.next();
    return next.done === true;
  }
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function readU32(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function bad(why: string): RosterError {
  return new RosterError('BAD_SNAPSHOT', `snapshot file: ${why}`);
}
